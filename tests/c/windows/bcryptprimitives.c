/* TEST-ONLY stand-in for Windows' bcryptprimitives.dll, used under Wine 8, which lacks
 * it. Never shipped: the Windows test harness (tests/c_programs.rs) builds it next to the
 * test programs it runs under Wine, nowhere else.
 *
 * Rust's standard library imports ProcessPrng from bcryptprimitives.dll for its random
 * numbers (HashMap keys); Windows 10 and later have the DLL. This one answers from the
 * system's preferred random number generator through BCryptGenRandom, which Wine has.
 * The real ProcessPrng never fails, and the standard library does not check: so rather
 * than return unfilled memory, this one terminates the process if the generator fails. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            TerminateProcess(GetCurrentProcess(), 0xC0000001u);
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
