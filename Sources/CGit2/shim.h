#ifndef SF_CGIT2_SHIM_H
#define SF_CGIT2_SHIM_H

#include <git2.h>

/* git_libgit2_opts is a C variadic, which Swift cannot call: these wrap the
   few options the agent sets. Each returns libgit2's status code. */

static inline int sf_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

static inline int sf_git_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}

static inline int sf_git_enable_strict_object_creation(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}

/* Whether every object read is hashed again to check its id (libgit2's default: on). */
static inline int sf_git_enable_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* Trusts only the CA certificates in `file` (PEM) for HTTPS. */
static inline int sf_git_set_ssl_cert_file(const char *file) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, (const char *)0);
}

#endif
