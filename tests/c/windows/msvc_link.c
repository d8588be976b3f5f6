/* Linked by lld-link, the MSVC-compatible linker (the inputs link.exe takes), against
 * ccgw.lib alone: it proves the MSVC-format import library resolves the header's
 * functions through their __imp_ pointers (the header declares them dllimport) and that
 * the program then runs against ccgw.dll. No C runtime is linked (this machine has no
 * MSVC libraries), so the entry point uses kernel32 only. Exits 0 when the library's
 * version and ABI equal the header's; prints the version. */
#include "ccgw.h"

#include <windows.h>

static int same(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void put(const char *s) {
    DWORD n = 0, len = 0;
    while (s[len])
        len++;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, len, &n, NULL);
}

void msvc_link_entry(void) {
    const char *v = ccgw_version();
    int ok = same(v, CCGW_VERSION_STRING) && ccgw_abi_version() == CCGW_ABI_VERSION;
    put("msvc_link: ccgw ");
    put(v);
    put(ok ? " ok\n" : " MISMATCH\n");
    ExitProcess(ok ? 0 : 1);
}
