#ifndef SF_SANDBOX_INTERNAL_H
#define SF_SANDBOX_INTERNAL_H

/* Child-side sandbox steps shared between agent_support.c and sandbox.c.
   Async-signal-safe: raw syscalls, no allocation. */

/* landlock_restrict_self(fd, 0). 0 or -1 with errno. */
int sf_child_landlock_restrict(int ruleset_fd);

/* Installs the ioctl filter (no_new_privs must be set). 0 or -1 with errno. */
int sf_child_seccomp_install(void);

#endif
