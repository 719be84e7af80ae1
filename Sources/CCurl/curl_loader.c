#include "ccurl.h"

#include "lazy_library.h"

#include <pthread.h>
#include <stdio.h>

#define CURL_SONAME "libcurl.so.4"

const char *const sf_curl_library = CURL_SONAME;

/* Never closed: libcurl keeps global state. */
static struct sf_lazy_library libcurl = SF_LAZY_LIBRARY_INIT(CURL_SONAME);

static struct {
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *problem;
static char problem_text[512];

static void *symbol(const char *name) {
    void *found = sf_lazy_library_find(&libcurl, name);
    if (found == NULL && problem == NULL) {
        snprintf(problem_text, sizeof problem_text, "%s has no %s", sf_curl_library, name);
        problem = problem_text;
    }
    return found;
}

static void load(void) {
    problem = sf_lazy_library_load(&libcurl);
    if (problem != NULL) return;
    curl.easy_init = (CURL * (*)(void)) symbol("curl_easy_init");
    curl.easy_cleanup = (void (*)(CURL *))symbol("curl_easy_cleanup");
    curl.easy_perform = (CURLcode(*)(CURL *))symbol("curl_easy_perform");
    curl.easy_strerror = (const char *(*)(CURLcode))symbol("curl_easy_strerror");
    curl.easy_setopt = (CURLcode(*)(CURL *, CURLoption, ...))symbol("curl_easy_setopt");
    curl.easy_getinfo = (CURLcode(*)(CURL *, CURLINFO, ...))symbol("curl_easy_getinfo");
    curl.slist_append = (struct curl_slist * (*)(struct curl_slist *, const char *)) symbol("curl_slist_append");
    curl.slist_free_all = (void (*)(struct curl_slist *))symbol("curl_slist_free_all");
}

const char *sf_curl_load(void) {
    pthread_once(&once, load);
    return problem;
}

/* Before a successful sf_curl_load() each of these fails as libcurl would
   without memory, rather than calling through a null pointer. */
static int ready(void) { return sf_curl_load() == NULL; }

CURL *sf_curl_easy_init(void) { return ready() ? curl.easy_init() : NULL; }

void sf_curl_easy_cleanup(CURL *handle) {
    if (ready()) curl.easy_cleanup(handle);
}

CURLcode sf_curl_easy_perform(CURL *handle) { return ready() ? curl.easy_perform(handle) : CURLE_FAILED_INIT; }

const char *sf_curl_easy_strerror(CURLcode code) {
    return ready() ? curl.easy_strerror(code) : "libcurl is not loaded";
}

struct curl_slist *sf_curl_slist_append(struct curl_slist *list, const char *text) {
    return ready() ? curl.slist_append(list, text) : NULL;
}

void sf_curl_slist_free_all(struct curl_slist *list) {
    if (ready()) curl.slist_free_all(list);
}

CURLcode sf_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return ready() ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode sf_curl_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return ready() ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode sf_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return ready() ? curl.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}

CURLcode sf_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return ready() ? curl.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

static size_t discard(char *data, size_t size, size_t count, void *context) {
    (void)data;
    (void)context;
    return size * count;
}

CURLcode sf_curl_discard_body(CURL *handle) {
    return ready() ? curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard) : CURLE_FAILED_INIT;
}
