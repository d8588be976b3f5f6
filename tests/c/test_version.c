/* The header's version macros equal what the loaded library reports. */
#include "common.h"

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
    return test_finish("test_version");
}
