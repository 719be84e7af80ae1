#ifndef SF_AGENT_SUPPORT_H
#define SF_AGENT_SUPPORT_H

/* The C the agent needs and Swift cannot express: the child side of
   fork/exec, prctl, and signal delivery to a pipe. Kept narrow on purpose. */

#include <sys/types.h>

#endif
