/* Unloading: the library is linked with -z nodelete, so dlclose() leaves it mapped (its
 * runtime threads and thread-locals stay valid) and a second dlopen() works. This program
 * is not linked with libccgw; it loads the library named by CCGW_TEST_LIB. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef const char *(*version_fn)(void);
typedef int (*shutdown_fn)(unsigned);

static int mapped(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int found = 0;
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, "libccgw"))
            found = 1;
    if (f)
        fclose(f);
    return found;
}

int main(void) {
    const char *path = getenv("CCGW_TEST_LIB");
    if (!path)
        return 2;
    for (int round = 0; round < 2; round++) {
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            fprintf(stderr, "dlopen: %s\n", dlerror());
            return 1;
        }
        version_fn version = (version_fn)(size_t)dlsym(h, "ccgw_version");
        if (!version || !*version()) {
            fprintf(stderr, "ccgw_version missing\n");
            return 1;
        }
        if (dlclose(h) != 0) {
            fprintf(stderr, "dlclose failed\n");
            return 1;
        }
        if (!mapped()) {
            fprintf(stderr, "libccgw was unmapped by dlclose: -z nodelete is missing\n");
            return 1;
        }
    }
    printf("test_unload: ok\n");
    return 0;
}
