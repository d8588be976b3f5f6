/* The HTTP benchmark's yardstick: the libcurl client a CTI developer would otherwise
 * write. One easy handle per thread, made once and reused for every request (so its
 * connection is kept alive), the Guid and Content-Type headers in one list, the body a
 * fixed string, the answer collected by a write callback. An answer counts as correct
 * when it is HTTP 200 with exactly the bytes nginx was configured to send (no JSON
 * parsing: the floor of what such a client does). Linked with Debian's
 * libcurl4-openssl-dev (libcurl with OpenSSL). */
#include "bench.h"
#include <curl/curl.h>

#define BATCH_BODY                                                                                                     \
    "{\"addresses\":[{\"address\":\"2002\",\"addressType\":\"9\",\"deviceCallType\":1,\"deviceType\":66}],"          \
    "\"beepTone\":false,\"caller\":\"1111\",\"playMode\":2,\"voicePath\":\"y:/conf/120/1136287.V3\"}"
#define QUERY_BODY "{\"confIds\":[1029888]}"

struct handle {
    CURL *curl;
    char *body;
    size_t len;
    size_t cap;
};

static struct handle handles[MAX_THREADS];
static struct curl_slist *headers;
static char url[512];
static char *expected;
static size_t expected_len;

static size_t collect(char *data, size_t size, size_t n, void *user) {
    struct handle *h = user;
    size_t len = size * n;
    if (h->len + len > h->cap) {
        size_t cap = (h->len + len) * 2;
        char *p = realloc(h->body, cap);
        if (!p)
            return 0;
        h->body = p;
        h->cap = cap;
    }
    memcpy(h->body + h->len, data, len);
    h->len += len;
    return len;
}

static int setup(const struct bench *b) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 0;
    snprintf(url, sizeof url, "%s/agentgateway/resource/agentconf/153/%s", b->url,
             b->query ? "queryconfinfos" : "batchaddparticipant");
    headers = curl_slist_append(NULL, "Content-Type: application/json; charset=UTF-8");
    headers = curl_slist_append(headers, "Guid: 279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0");
    /* The answer nginx gives, from the file run.py wrote it to (beside the CA file). */
    char path[600];
    snprintf(path, sizeof path, "%s", b->ca);
    char *slash = strrchr(path, '/');
    snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0), "%s",
             b->query ? "answer-query.json" : "answer-batch.json");
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    expected = malloc(4096);
    expected_len = fread(expected, 1, 4096, f);
    fclose(f);
    for (int t = 0; t < b->threads; t++) {
        struct handle *h = &handles[t];
        h->curl = curl_easy_init();
        if (!h->curl)
            return 0;
        curl_easy_setopt(h->curl, CURLOPT_URL, url);
        curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, b->query ? QUERY_BODY : BATCH_BODY);
        curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
        curl_easy_setopt(h->curl, CURLOPT_CAINFO, b->ca);
        curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, 30000L);
    }
    return 1;
}

static void *thread_ctx(const struct bench *b, int t) {
    (void)b;
    return &handles[t];
}

static int one(const struct bench *b, void *ctx) {
    (void)b;
    struct handle *h = ctx;
    h->len = 0;
    CURLcode rc = curl_easy_perform(h->curl);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl: %s\n", curl_easy_strerror(rc));
        return 0;
    }
    long status = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    return status == 200 && h->len == expected_len && memcmp(h->body, expected, expected_len) == 0;
}

static void teardown(const struct bench *b) {
    for (int t = 0; t < b->threads; t++) {
        curl_easy_cleanup(handles[t].curl);
        free(handles[t].body);
    }
    curl_slist_free_all(headers);
    free(expected);
    curl_global_cleanup();
}

int main(int argc, char **argv) { return bench_main("curl", argc, argv); }
