/* The header compiles on its own as C99 (compiled with -std=c99 -pedantic -Wall -Wextra -Werror). */
#include "ccgw.h"
int ccgw_header_test_c(void);
int ccgw_header_test_c(void) { return CCGW_OK + (int)sizeof(ccgw_session_options); }
