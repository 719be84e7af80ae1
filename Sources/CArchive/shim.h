#ifndef SF_CARCHIVE_SHIM_H
#define SF_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

#endif
