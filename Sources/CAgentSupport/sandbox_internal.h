#ifndef SF_SANDBOX_INTERNAL_H
#define SF_SANDBOX_INTERNAL_H

/* Child-side sandbox steps shared between agent_support.c and sandbox.c.
   Async-signal-safe: raw syscalls, no allocation. */

/* landlock_restrict_self(fd, 0). 0 or -1 with errno. */
int sf_child_landlock_restrict(int ruleset_fd);

/* The bits of sf_spawn_request.seccomp (Swift's SandboxPlan.seccompFlags
   sets the same values). */
enum {
    /* The filter: another architecture's syscalls kill, x32 numbers and
       io_uring_setup/enter/register fail with ENOSYS, ioctl TIOCSTI and
       TIOCLINUX with EPERM. */
    SF_SECCOMP_BASE = 1 << 0,
    /* Also socket(2) of every family but AF_NETLINK, and socketpair(2) of
       another type than stream or seqpacket, fail with EACCES
       (sandbox.network = none). */
    SF_SECCOMP_REFUSE_SOCKETS = 1 << 1,
};

/* Installs the filter `flags` (SF_SECCOMP_*) describe; no_new_privs must be
   set. 0 or -1 with errno. */
int sf_child_seccomp_install(int flags);

#endif
