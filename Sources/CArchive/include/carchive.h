#ifndef SF_CARCHIVE_H
#define SF_CARCHIVE_H

/* libarchive 3.6, opened on first use (see lazy_library.h):
 * archive_functions.c defines every libarchive function the agent calls. A
 * call to one it does not define fails to link: add its line there. */

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

/* Opens libarchive (once). NULL when it is ready, else a message naming the
 * library and why it cannot be loaded. */
const char *sf_archive_load(void);

/* A locale whose LC_CTYPE is C.UTF-8, for uselocale() on the calling thread
   only: libarchive converts names to the UTF-8 of pax headers through the
   current locale, and a Swift process runs in the "C" locale, where any
   non-ASCII name would be stored as hdrcharset=BINARY. Returns NULL when
   C.UTF-8 is not installed; free the result with freelocale(). */
static inline locale_t sf_archive_new_utf8_locale(void) {
    return newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

#endif
