#ifndef SF_CARCHIVE_SHIM_H
#define SF_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

/* A locale whose LC_CTYPE is C.UTF-8, for uselocale() on the calling thread
   only: libarchive converts names to the UTF-8 of pax headers through the
   current locale, and a Swift process runs in the "C" locale, where any
   non-ASCII name would be stored as hdrcharset=BINARY. Returns NULL when
   C.UTF-8 is not installed; free the result with freelocale(). */
static inline locale_t sf_archive_new_utf8_locale(void) {
    return newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

#endif
