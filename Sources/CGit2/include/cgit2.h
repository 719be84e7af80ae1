#ifndef SF_CGIT2_H
#define SF_CGIT2_H

/* libgit2 1.5, opened on first use (see lazy_library.h): git2_functions.c
 * defines every libgit2 function the agent calls. A call to one it does not
 * define fails to link: add its line there. */

#include <git2.h>

/* Opens libgit2 (once). NULL when it is ready, else a message naming the
 * library and why it cannot be loaded. */
const char *sf_git2_load(void);

/* git_libgit2_opts is a C variadic, which Swift cannot call: these wrap the
 * few options the agent sets. Each returns libgit2's status code. */
int sf_git_set_owner_validation(int enabled);
int sf_git_set_search_path(int level, const char *path);
int sf_git_enable_strict_object_creation(int enabled);
/* Whether every object read is hashed again to check its id (libgit2's default: on). */
int sf_git_enable_strict_hash_verification(int enabled);
/* Trusts only the CA certificates in `file` (PEM) for HTTPS. */
int sf_git_set_ssl_cert_file(const char *file);

#endif
