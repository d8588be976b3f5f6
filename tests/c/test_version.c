/* The header's version macros equal what the loaded library reports; on Windows, so do
 * the DLL's VERSIONINFO resource's file and product versions (numbers and strings). */
#include "common.h"

#ifdef _WIN32
#include <windows.h>

/* The version resource of the loaded ccgw.dll against the header's version. */
static void check_version_resource(void) {
    wchar_t path[MAX_PATH];
    HMODULE dll = GetModuleHandleW(L"ccgw.dll");
    EXPECT(dll != NULL);
    if (!dll || !GetModuleFileNameW(dll, path, MAX_PATH)) {
        failures++;
        return;
    }
    DWORD ignored = 0, size = GetFileVersionInfoSizeW(path, &ignored);
    EXPECT(size > 0);
    void *info = size ? malloc(size) : NULL;
    if (!info || !GetFileVersionInfoW(path, 0, size, info)) {
        fprintf(stderr, "ccgw.dll has no version resource\n");
        failures++;
        free(info);
        return;
    }
    VS_FIXEDFILEINFO *fixed = NULL;
    UINT len = 0;
    EXPECT(VerQueryValueW(info, L"\\", (void **)&fixed, &len) && fixed && len >= sizeof *fixed);
    if (fixed) {
        DWORD ms = ((DWORD)CCGW_VERSION_MAJOR << 16) | CCGW_VERSION_MINOR, ls = (DWORD)CCGW_VERSION_PATCH << 16;
        EXPECT(fixed->dwSignature == 0xFEEF04BD);
        EXPECT(fixed->dwFileVersionMS == ms && fixed->dwFileVersionLS == ls);
        EXPECT(fixed->dwProductVersionMS == ms && fixed->dwProductVersionLS == ls);
        EXPECT(fixed->dwFileType == VFT_DLL);
    }
    const wchar_t *names[2] = {L"\\StringFileInfo\\040904B0\\FileVersion", L"\\StringFileInfo\\040904B0\\ProductVersion"};
    for (int i = 0; i < 2; i++) {
        wchar_t *text = NULL;
        char narrow[64] = "";
        EXPECT(VerQueryValueW(info, names[i], (void **)&text, &len) && text);
        if (text)
            WideCharToMultiByte(CP_UTF8, 0, text, -1, narrow, sizeof narrow, NULL, NULL);
        if (strcmp(narrow, CCGW_VERSION_STRING) != 0) {
            fprintf(stderr, "%ls is \"%s\", expected \"%s\"\n", names[i], narrow, CCGW_VERSION_STRING);
            failures++;
        }
    }
    free(info);
}
#endif

int main(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", CCGW_VERSION_MAJOR, CCGW_VERSION_MINOR, CCGW_VERSION_PATCH);
    EXPECT(strcmp(ccgw_version(), CCGW_VERSION_STRING) == 0);
    EXPECT(strcmp(ccgw_version(), expected) == 0);
    EXPECT(ccgw_abi_version() == CCGW_ABI_VERSION);
    EXPECT(CCGW_VERSION_NUMBER == ((CCGW_VERSION_MAJOR << 16) | (CCGW_VERSION_MINOR << 8) | CCGW_VERSION_PATCH));
    EXPECT(strcmp(ccgw_status_str(CCGW_OK), "success") == 0);
    EXPECT(strstr(ccgw_status_str(CCGW_E_GW_NOT_CHAIRPERSON), "101-002") != NULL);
    EXPECT(ccgw_status_str(123456789) != NULL);
    EXPECT(ccgw_status_is_gateway(CCGW_E_GW_THREE_PARTY_NO_HELD_CALL));
    EXPECT(!ccgw_status_is_gateway(CCGW_E_TLS));
    EXPECT(CCGW_E_GW_NOT_CHAIRPERSON == CCGW_E_GW_BASE + 101 * 1000 + 2);
#ifdef _WIN32
    check_version_resource();
#endif
    return test_finish("test_version");
}
