#ifndef SF_CCURL_H
#define SF_CCURL_H

/* libcurl, loaded on first use.
 *
 * Only a job with report.url needs libcurl, which brings about twenty more
 * shared libraries (GnuTLS, Kerberos, LDAP, ...) that every other start of
 * the agent would map and relocate for nothing. So the agent does not link
 * it: sf_curl_load() dlopens libcurl.so.4 once, and the functions below call
 * through the pointers it found. The types and constants are libcurl's own
 * headers'. */

#include <curl/curl.h>

/* Loads libcurl (once, thread-safe). NULL when it is ready, else a message
 * naming the library and why it could not be loaded (dlerror), valid for the
 * life of the process. The functions below do nothing but fail (NULL,
 * CURLE_FAILED_INIT) until it has returned NULL. */
const char *sf_curl_load(void);

/* The soname loaded, for messages. */
extern const char *const sf_curl_library;

CURL *sf_curl_easy_init(void);
void sf_curl_easy_cleanup(CURL *handle);
CURLcode sf_curl_easy_perform(CURL *handle);
const char *sf_curl_easy_strerror(CURLcode code);
struct curl_slist *sf_curl_slist_append(struct curl_slist *list, const char *text);
void sf_curl_slist_free_all(struct curl_slist *list);

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot
 * call: one typed entry point per argument kind. */
CURLcode sf_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode sf_curl_setopt_pointer(CURL *handle, CURLoption option, const void *value);
CURLcode sf_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode sf_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/* Discards the response body (the report's answer is not used). */
CURLcode sf_curl_discard_body(CURL *handle);

#endif
