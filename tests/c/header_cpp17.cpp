// The header compiles on its own as C++17 (compiled with -std=c++17 -pedantic -Wall -Wextra -Werror).
#include "ccgw.h"
int ccgw_header_test_cpp();
int ccgw_header_test_cpp() { return CCGW_OK + static_cast<int>(sizeof(ccgw_session_options)); }
