/* Unloading: the library is never unloaded once used (Linux: linked with -z nodelete;
 * Windows: the DLL pins itself on first use). This program is not linked with libccgw:
 * it loads the library named by CCGW_TEST_LIB, signs an agent in, starts the event pump
 * (so the library's runtime threads are running), frees the session and unloads the
 * library while those threads live. Then it checks the library is still mapped, keeps
 * running past the janitor's and the runtime's wake-ups (which would fault in unmapped
 * code), and does it all again with a second agent through a second load. */
#include "ccgw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
typedef HMODULE lib_handle;
static lib_handle lib_open(const char *path) { return LoadLibraryA(path); }
static void *lib_sym(lib_handle h, const char *name) { return (void *)(size_t)GetProcAddress(h, name); }
static int lib_close(lib_handle h) { return FreeLibrary(h) ? 0 : -1; }
static const char *lib_error(void) { return "LoadLibrary failed"; }
/* Still loaded: the module is found by the address of its ccgw_version. */
static int lib_mapped(void *any_symbol) {
    HMODULE m = NULL;
    return GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                              (LPCSTR)any_symbol, &m) != 0;
}
static void pause_ms(unsigned ms) { Sleep(ms); }
#else
#include <dlfcn.h>
#include <time.h>
typedef void *lib_handle;
static lib_handle lib_open(const char *path) { return dlopen(path, RTLD_NOW | RTLD_LOCAL); }
static void *lib_sym(lib_handle h, const char *name) { return dlsym(h, name); }
static int lib_close(lib_handle h) { return dlclose(h); }
static const char *lib_error(void) { return dlerror(); }
/* Still mapped: the address of its ccgw_version still belongs to a loaded object. */
static int lib_mapped(void *any_symbol) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int found = 0;
    size_t addr = (size_t)any_symbol;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi)
            found = 1;
    }
    if (f)
        fclose(f);
    return found;
}
static void pause_ms(unsigned ms) {
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}
#endif

typedef const char *(*version_fn)(void);
typedef ccgw_status (*session_options_init_fn)(ccgw_session_options *, uint32_t);
typedef ccgw_status (*session_new_fn)(const ccgw_session_options *, ccgw_session **);
typedef ccgw_status (*sign_in_options_init_fn)(ccgw_sign_in_options *, uint32_t);
typedef ccgw_status (*sign_in_fn)(ccgw_session *, const ccgw_sign_in_options *, const ccgw_call_options *,
                                  ccgw_sign_in_result **);
typedef ccgw_status (*update_guid_fn)(ccgw_session *, const ccgw_call_options *);
typedef ccgw_status (*events_start_fn)(ccgw_session *, const ccgw_events_options *);
typedef bool (*events_running_fn)(const ccgw_session *);
typedef ccgw_status (*events_next_fn)(ccgw_session *, uint32_t, ccgw_event **);
typedef void (*event_free_fn)(ccgw_event *);
typedef void (*session_free_fn)(ccgw_session *);
typedef const char *(*last_error_fn)(void);

static void *need(lib_handle h, const char *name) {
    void *p = lib_sym(h, name);
    if (!p) {
        fprintf(stderr, "%s is not exported\n", name);
        exit(1);
    }
    return p;
}

/* Loads the library, signs `agent` in, makes a call (on the session's lane: the lane janitor
 * starts), starts the pump, frees the session and unloads.
 * Returns the address of ccgw_version in that load (to check the mapping afterwards). */
static void *use_and_unload(const char *path, const char *agent) {
    lib_handle h = lib_open(path);
    if (!h) {
        fprintf(stderr, "loading %s: %s\n", path, lib_error());
        exit(1);
    }
    version_fn version = (version_fn)(size_t)need(h, "ccgw_version");
    session_options_init_fn options_init = (session_options_init_fn)(size_t)need(h, "ccgw_session_options_init");
    session_new_fn session_new = (session_new_fn)(size_t)need(h, "ccgw_session_new");
    sign_in_options_init_fn sign_in_init = (sign_in_options_init_fn)(size_t)need(h, "ccgw_sign_in_options_init");
    sign_in_fn sign_in = (sign_in_fn)(size_t)need(h, "ccgw_session_sign_in");
    update_guid_fn update_guid = (update_guid_fn)(size_t)need(h, "ccgw_session_update_guid");
    events_start_fn events_start = (events_start_fn)(size_t)need(h, "ccgw_events_start");
    events_running_fn events_running = (events_running_fn)(size_t)need(h, "ccgw_events_running");
    events_next_fn events_next = (events_next_fn)(size_t)need(h, "ccgw_events_next");
    event_free_fn event_free = (event_free_fn)(size_t)need(h, "ccgw_event_free");
    session_free_fn session_free = (session_free_fn)(size_t)need(h, "ccgw_session_free");
    last_error_fn last_error = (last_error_fn)(size_t)need(h, "ccgw_last_error_message");
    if (!*version()) {
        fprintf(stderr, "ccgw_version is empty\n");
        exit(1);
    }

    ccgw_session_options o;
    ccgw_session *s = NULL;
    ccgw_sign_in_options si;
    if (options_init(&o, CCGW_SESSION_OPTIONS_VERSION) != CCGW_OK || sign_in_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION) != CCGW_OK) {
        fprintf(stderr, "init: %s\n", last_error());
        exit(1);
    }
    o.base_url = getenv("CCGW_TEST_URL");
    o.ca_file = getenv("CCGW_TEST_CA");
    o.agent_id = agent;
    si.password = getenv("CCGW_TEST_PASSWORD");
    si.phonenum = "40038";
    if (!o.base_url || !o.ca_file || !si.password) {
        fprintf(stderr, "CCGW_TEST_URL, CCGW_TEST_CA and CCGW_TEST_PASSWORD must be set\n");
        exit(2);
    }
    if (session_new(&o, &s) != CCGW_OK || sign_in(s, &si, NULL, NULL) != CCGW_OK || update_guid(s, NULL) != CCGW_OK ||
        events_start(s, NULL) != CCGW_OK) {
        fprintf(stderr, "agent %s: %s\n", agent, last_error());
        exit(1);
    }
    /* The pump (a task on the library's runtime threads) is polling now: wait for the
     * sign-in's first event, or for the timeout (polls answered without one). */
    ccgw_event *ev = NULL;
    ccgw_status st = events_next(s, 2000, &ev);
    if ((st != CCGW_OK && st != CCGW_E_TIMEOUT) || !events_running(s)) {
        fprintf(stderr, "agent %s: the event pump is not running: %s\n", agent, last_error());
        exit(1);
    }
    event_free(ev);
    session_free(s);
    if (lib_close(h) != 0) {
        fprintf(stderr, "unloading failed\n");
        exit(1);
    }
    return (void *)(size_t)version;
}

int main(void) {
    const char *path = getenv("CCGW_TEST_LIB");
    if (!path) {
        fprintf(stderr, "CCGW_TEST_LIB is not set\n");
        return 2;
    }
    const char *agents[2] = {"153", "154"};
    for (int round = 0; round < 2; round++) {
        void *code = use_and_unload(path, agents[round]);
        if (!lib_mapped(code)) {
            fprintf(stderr, "round %d: the library was unmapped while its threads run\n", round);
            return 1;
        }
        /* Let the runtime's threads and the lane janitor (every 500 ms) wake up: in an
         * unmapped library this is where the host dies. */
        pause_ms(1500);
    }
    printf("test_unload: ok\n");
    return 0;
}
