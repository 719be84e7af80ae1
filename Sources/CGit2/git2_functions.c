#include "cgit2.h"

#include "lazy_library.h"

/* Debian 12's libgit2 1.5 (package libgit2-1.5). */
static struct sf_lazy_library libgit2 = SF_LAZY_LIBRARY_INIT("libgit2.so.1.5");

const char *sf_git2_load(void) { return sf_lazy_library_load(&libgit2); }

/* git_libgit2_opts, the variadic, called with each option's own arguments. */
static int (*options(void))(int, ...) {
    return (int (*)(int, ...))sf_lazy_library_symbol(&libgit2, "git_libgit2_opts");
}

int sf_git_set_owner_validation(int enabled) { return options()(GIT_OPT_SET_OWNER_VALIDATION, enabled); }

int sf_git_set_search_path(int level, const char *path) { return options()(GIT_OPT_SET_SEARCH_PATH, level, path); }

int sf_git_enable_strict_object_creation(int enabled) { return options()(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled); }

int sf_git_enable_strict_hash_verification(int enabled) {
    return options()(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

int sf_git_set_ssl_cert_file(const char *file) { return options()(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, (const char *)0); }

/* Every other libgit2 function the agent calls, one line each: result, name,
   parameters as <git2.h> declares them, and the call's arguments. */
SF_LAZY_FUNCTION(libgit2, const void *, git_blob_rawcontent, (const git_blob *blob), (blob))
SF_LAZY_FUNCTION(libgit2, git_object_size_t, git_blob_rawsize, (const git_blob *blob), (blob))
SF_LAZY_FUNCTION(libgit2, int, git_credential_ssh_key_new, (git_credential **out, const char *username, const char *publickey, const char *privatekey, const char *passphrase), (out, username, publickey, privatekey, passphrase))
SF_LAZY_FUNCTION(libgit2, int, git_credential_username_new, (git_credential **out, const char *username), (out, username))
SF_LAZY_FUNCTION(libgit2, int, git_credential_userpass_plaintext_new, (git_credential **out, const char *username, const char *password), (out, username, password))
SF_LAZY_FUNCTION(libgit2, const git_error *, git_error_last, (void), ())
SF_LAZY_FUNCTION(libgit2, int, git_error_set_str, (int error_class, const char *string), (error_class, string))
SF_LAZY_FUNCTION(libgit2, int, git_fetch_options_init, (git_fetch_options *opts, unsigned int version), (opts, version))
SF_LAZY_FUNCTION(libgit2, int, git_graph_descendant_of, (git_repository *repo, const git_oid *commit, const git_oid *ancestor), (repo, commit, ancestor))
SF_LAZY_FUNCTION(libgit2, int, git_libgit2_init, (void), ())
SF_LAZY_PROCEDURE(libgit2, git_object_free, (git_object *object), (object))
SF_LAZY_FUNCTION(libgit2, const git_oid *, git_object_id, (const git_object *obj), (obj))
SF_LAZY_FUNCTION(libgit2, int, git_object_lookup, (git_object **object, git_repository *repo, const git_oid *id, git_object_t type), (object, repo, id, type))
SF_LAZY_FUNCTION(libgit2, int, git_object_peel, (git_object **peeled, const git_object *object, git_object_t target_type), (peeled, object, target_type))
SF_LAZY_FUNCTION(libgit2, git_object_t, git_object_type, (const git_object *obj), (obj))
SF_LAZY_FUNCTION(libgit2, const char *, git_object_type2string, (git_object_t type), (type))
SF_LAZY_PROCEDURE(libgit2, git_odb_free, (git_odb *db), (db))
SF_LAZY_FUNCTION(libgit2, const void *, git_odb_object_data, (git_odb_object *object), (object))
SF_LAZY_PROCEDURE(libgit2, git_odb_object_free, (git_odb_object *object), (object))
SF_LAZY_FUNCTION(libgit2, size_t, git_odb_object_size, (git_odb_object *object), (object))
SF_LAZY_FUNCTION(libgit2, int, git_odb_read, (git_odb_object **out, git_odb *db, const git_oid *id), (out, db, id))
SF_LAZY_FUNCTION(libgit2, int, git_oid_equal, (const git_oid *a, const git_oid *b), (a, b))
SF_LAZY_FUNCTION(libgit2, int, git_oid_fromstr, (git_oid *out, const char *str), (out, str))
SF_LAZY_FUNCTION(libgit2, char *, git_oid_tostr, (char *out, size_t n, const git_oid *id), (out, n, id))
SF_LAZY_FUNCTION(libgit2, int, git_reference_create, (git_reference **out, git_repository *repo, const char *name, const git_oid *id, int force, const char *log_message), (out, repo, name, id, force, log_message))
SF_LAZY_PROCEDURE(libgit2, git_reference_free, (git_reference *ref), (ref))
SF_LAZY_FUNCTION(libgit2, int, git_reference_name_to_id, (git_oid *out, git_repository *repo, const char *name), (out, repo, name))
SF_LAZY_FUNCTION(libgit2, int, git_remote_connect_ext, (git_remote *remote, git_direction direction, const git_remote_connect_options *opts), (remote, direction, opts))
SF_LAZY_FUNCTION(libgit2, int, git_remote_connect_options_init, (git_remote_connect_options *opts, unsigned int version), (opts, version))
SF_LAZY_FUNCTION(libgit2, int, git_remote_create_anonymous, (git_remote **out, git_repository *repo, const char *url), (out, repo, url))
SF_LAZY_FUNCTION(libgit2, int, git_remote_fetch, (git_remote *remote, const git_strarray *refspecs, const git_fetch_options *opts, const char *reflog_message), (remote, refspecs, opts, reflog_message))
SF_LAZY_PROCEDURE(libgit2, git_remote_free, (git_remote *remote), (remote))
SF_LAZY_FUNCTION(libgit2, int, git_remote_ls, (const git_remote_head ***out, size_t *size, git_remote *remote), (out, size, remote))
SF_LAZY_PROCEDURE(libgit2, git_repository_free, (git_repository *repo), (repo))
SF_LAZY_FUNCTION(libgit2, int, git_repository_init, (git_repository **out, const char *path, unsigned int is_bare), (out, path, is_bare))
SF_LAZY_FUNCTION(libgit2, int, git_repository_odb, (git_odb **out, git_repository *repo), (out, repo))
SF_LAZY_FUNCTION(libgit2, int, git_repository_open_bare, (git_repository **out, const char *bare_path), (out, bare_path))
SF_LAZY_FUNCTION(libgit2, int, git_repository_open_ext, (git_repository **out, const char *path, unsigned int flags, const char *ceiling_dirs), (out, path, flags, ceiling_dirs))
SF_LAZY_FUNCTION(libgit2, const char *, git_repository_path, (const git_repository *repo), (repo))
SF_LAZY_FUNCTION(libgit2, const git_tree_entry *, git_tree_entry_byindex, (const git_tree *tree, size_t idx), (tree, idx))
SF_LAZY_FUNCTION(libgit2, int, git_tree_entry_bypath, (git_tree_entry **out, const git_tree *root, const char *path), (out, root, path))
SF_LAZY_FUNCTION(libgit2, git_filemode_t, git_tree_entry_filemode, (const git_tree_entry *entry), (entry))
SF_LAZY_FUNCTION(libgit2, git_filemode_t, git_tree_entry_filemode_raw, (const git_tree_entry *entry), (entry))
SF_LAZY_PROCEDURE(libgit2, git_tree_entry_free, (git_tree_entry *entry), (entry))
SF_LAZY_FUNCTION(libgit2, const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), (entry))
SF_LAZY_FUNCTION(libgit2, const char *, git_tree_entry_name, (const git_tree_entry *entry), (entry))
SF_LAZY_FUNCTION(libgit2, git_object_t, git_tree_entry_type, (const git_tree_entry *entry), (entry))
SF_LAZY_FUNCTION(libgit2, size_t, git_tree_entrycount, (const git_tree *tree), (tree))
