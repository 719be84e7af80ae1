#include "carchive.h"

#include "lazy_library.h"

/* Debian 12's libarchive 3.6 (package libarchive13). */
static struct sf_lazy_library libarchive = SF_LAZY_LIBRARY_INIT("libarchive.so.13");

const char *sf_archive_load(void) { return sf_lazy_library_load(&libarchive); }

/* Every libarchive function the agent calls, one line each: result, name,
   parameters as <archive.h> and <archive_entry.h> declare them, and the
   call's arguments. */
SF_LAZY_FUNCTION(libarchive, struct archive_entry *, archive_entry_clear, (struct archive_entry *a0), (a0))
SF_LAZY_PROCEDURE(libarchive, archive_entry_copy_gname, (struct archive_entry *a0, const char *a1), (a0, a1))
SF_LAZY_PROCEDURE(libarchive, archive_entry_copy_pathname, (struct archive_entry *a0, const char *a1), (a0, a1))
SF_LAZY_PROCEDURE(libarchive, archive_entry_copy_symlink, (struct archive_entry *a0, const char *a1), (a0, a1))
SF_LAZY_PROCEDURE(libarchive, archive_entry_copy_uname, (struct archive_entry *a0, const char *a1), (a0, a1))
SF_LAZY_FUNCTION(libarchive, mode_t, archive_entry_filetype, (struct archive_entry *a0), (a0))
SF_LAZY_PROCEDURE(libarchive, archive_entry_free, (struct archive_entry *a0), (a0))
SF_LAZY_FUNCTION(libarchive, struct archive_entry *, archive_entry_new, (void), ())
SF_LAZY_FUNCTION(libarchive, const char *, archive_entry_pathname, (struct archive_entry *a0), (a0))
SF_LAZY_FUNCTION(libarchive, mode_t, archive_entry_perm, (struct archive_entry *a0), (a0))
SF_LAZY_PROCEDURE(libarchive, archive_entry_set_filetype, (struct archive_entry *a0, unsigned int a1), (a0, a1))
SF_LAZY_PROCEDURE(libarchive, archive_entry_set_gid, (struct archive_entry *a0, la_int64_t a1), (a0, a1))
SF_LAZY_PROCEDURE(libarchive, archive_entry_set_mtime, (struct archive_entry *a0, time_t a1, long a2), (a0, a1, a2))
SF_LAZY_PROCEDURE(libarchive, archive_entry_set_perm, (struct archive_entry *a0, mode_t a1), (a0, a1))
SF_LAZY_PROCEDURE(libarchive, archive_entry_set_size, (struct archive_entry *a0, la_int64_t a1), (a0, a1))
SF_LAZY_PROCEDURE(libarchive, archive_entry_set_uid, (struct archive_entry *a0, la_int64_t a1), (a0, a1))
SF_LAZY_FUNCTION(libarchive, la_int64_t, archive_entry_size, (struct archive_entry *a0), (a0))
SF_LAZY_FUNCTION(libarchive, const char *, archive_entry_symlink, (struct archive_entry *a0), (a0))
SF_LAZY_FUNCTION(libarchive, int, archive_errno, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, const char *, archive_error_string, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, la_ssize_t, archive_read_data, (struct archive *a0, void *a1, size_t a2), (a0, a1, a2))
SF_LAZY_FUNCTION(libarchive, int, archive_read_free, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, struct archive *, archive_read_new, (void), ())
SF_LAZY_FUNCTION(libarchive, int, archive_read_next_header, (struct archive *a0, struct archive_entry **a1), (a0, a1))
SF_LAZY_FUNCTION(libarchive, int, archive_read_open_filename, (struct archive *a0, const char *_filename, size_t _block_size), (a0, _filename, _block_size))
SF_LAZY_FUNCTION(libarchive, int, archive_read_support_filter_all, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, int, archive_read_support_format_tar, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, int, archive_write_add_filter_gzip, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, int, archive_write_add_filter_none, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, int, archive_write_close, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, la_ssize_t, archive_write_data, (struct archive *a0, const void *a1, size_t a2), (a0, a1, a2))
SF_LAZY_FUNCTION(libarchive, int, archive_write_fail, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, int, archive_write_free, (struct archive *a0), (a0))
SF_LAZY_FUNCTION(libarchive, int, archive_write_header, (struct archive *a0, struct archive_entry *a1), (a0, a1))
SF_LAZY_FUNCTION(libarchive, struct archive *, archive_write_new, (void), ())
SF_LAZY_FUNCTION(libarchive, int, archive_write_open2, (struct archive *a0, void *a1, archive_open_callback *a2, archive_write_callback *a3, archive_close_callback *a4, archive_free_callback *a5), (a0, a1, a2, a3, a4, a5))
SF_LAZY_FUNCTION(libarchive, int, archive_write_open_fd, (struct archive *a0, int _fd), (a0, _fd))
SF_LAZY_FUNCTION(libarchive, int, archive_write_set_bytes_in_last_block, (struct archive *a0, int bytes_in_last_block), (a0, bytes_in_last_block))
SF_LAZY_FUNCTION(libarchive, int, archive_write_set_bytes_per_block, (struct archive *a0, int bytes_per_block), (a0, bytes_per_block))
SF_LAZY_FUNCTION(libarchive, int, archive_write_set_filter_option, (struct archive *_a, const char *m, const char *o, const char *v), (_a, m, o, v))
SF_LAZY_FUNCTION(libarchive, int, archive_write_set_format_pax_restricted, (struct archive *a0), (a0))
