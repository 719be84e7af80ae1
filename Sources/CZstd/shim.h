#ifndef SF_CZSTD_SHIM_H
#define SF_CZSTD_SHIM_H

#include <zstd.h>

#endif
