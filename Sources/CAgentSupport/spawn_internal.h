#ifndef SF_SPAWN_INTERNAL_H
#define SF_SPAWN_INTERNAL_H

/* The child side of sf_spawn, shared between spawn.c (the agent's side and
   the program's) and job_init.c (the init of a PID namespace). Everything
   here runs between fork and execve of a multithreaded agent:
   async-signal-safe calls only (raw syscalls), no allocation, no glibc
   fork. */

#include "agent_support.h"

#include <stdint.h>
#include <sys/types.h>

/* Where the child keeps its descriptors once they are placed: 0, 1 and 2
   for the program, then the launch report, the Landlock ruleset, the
   init's status pipe and a pidfd of the agent (the last two only in an
   init). All but 0-2 are close-on-exec. A slot without a source is closed. */
enum {
    SF_FD_REPORT = 3,
    SF_FD_RULESET = 4,
    SF_FD_STATUS = 5,
    SF_FD_AGENT = 6,
    SF_FD_COUNT = 7,
};

/* SIG_DFL for every signal that can have a disposition. 0 or -1 with errno. */
int sf_default_dispositions(void);

/* The steps of sf_switch_user, to say which one failed. */
enum sf_switch_step {
    SF_SWITCH_SETGROUPS = 0,
    SF_SWITCH_SETRESGID = 1,
    SF_SWITCH_SETRESUID = 2,
    SF_SWITCH_VERIFY = 3,
};

/* Groups, then gid, then uid, as raw syscalls (this thread only: never
   glibc's all-threads setxid broadcast, which a child of a multithreaded
   process must not use), then checked with getresuid/getresgid. 0, or -1
   with errno and *failed set to an enum sf_switch_step. */
int sf_switch_user(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups, int *failed);

/* Writes the failed step and errno to `report_fd` and exits with 127. */
__attribute__((noreturn)) void sf_child_fail(int report_fd, int step, int error);

/* Default dispositions for every signal; the mask is then set to empty
   (`unblock`) or left as the parent blocked it (everything). */
void sf_child_reset_signals(int report_fd, int unblock);

/* Moves sources[i] to descriptor i (i < SF_FD_COUNT; -1 closes the slot)
   and closes every other descriptor. `report_fd` is where a failure is
   reported until the report pipe is in place. */
void sf_child_place_descriptors(int report_fd, const int sources[SF_FD_COUNT]);

/* The program's side once its descriptors are placed: the uid change,
   rlimits, no_new_privs, PDEATHSIG (checked against `parent`, as getppid()
   sees it), the working directory, Landlock, seccomp, execve. With
   `unshare_network`, first a network namespace of its own. */
__attribute__((noreturn)) void sf_child_exec_program(const struct sf_spawn_request *req, pid_t parent,
                                                     int unshare_network);

/* The init of a PID namespace (job_init.c): sets up the namespace, starts
   the program as its child and supervises it; never returns. */
__attribute__((noreturn)) void sf_init_run(const struct sf_spawn_request *req, int report_fd, int status_fd,
                                           int agent_pidfd, uid_t outer_uid, gid_t outer_gid);

/* clone(2) without a new stack: a fork that glibc does not see (no atfork
   handlers, no locks), with `flags` adding namespaces. Returns like fork. */
pid_t sf_raw_fork(unsigned long flags);

/* The clone flags for `namespaces` (enum sf_namespace bits). */
unsigned long sf_clone_flags(int namespaces);

/* Writes the single-id user namespace maps of a process that just entered
   a new user namespace: its uid and gid outside map to themselves, and
   setgroups is denied (as an unprivileged process must). 0 or -1 with errno. */
int sf_write_id_maps(uid_t outer_uid, gid_t outer_gid);

/* A private view of the mount tree (no propagation to or from the parent
   namespace's mounts) and a /proc of the current PID namespace mounted
   over /proc. 0 or -1 with errno. */
int sf_mount_namespace_proc(void);

/* A tmpfs of `bytes` (mode 1777, nosuid, nodev, noexec) over /dev/shm.
   0 or -1 with errno. */
int sf_mount_private_shm(uint64_t bytes);

#endif
