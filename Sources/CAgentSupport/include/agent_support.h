#ifndef SF_AGENT_SUPPORT_H
#define SF_AGENT_SUPPORT_H

/* The C the agent needs and Swift cannot express: the child side of
   fork/exec, prctl, and signal delivery to a pipe. Kept narrow on purpose. */

#include <stddef.h>
#include <sys/types.h>

/* The step of a launch that failed. Child steps are numbered in the order
   the child runs them; parent steps come after. */
enum sf_spawn_step {
    SF_STEP_NONE = 0,
    SF_STEP_RESET_SIGNALS = 1,   /* sigaction(SIG_DFL) / sigprocmask */
    SF_STEP_SETSID = 2,          /* setsid() */
    SF_STEP_MOVE_FDS = 3,        /* fcntl(F_DUPFD_CLOEXEC) */
    SF_STEP_DUP2 = 4,            /* dup2 to 0, 1, 2 */
    SF_STEP_CLOSE_FDS = 5,       /* close_range */
    SF_STEP_SETGROUPS = 6,       /* setgroups */
    SF_STEP_SETRESGID = 7,       /* setresgid */
    SF_STEP_SETRESUID = 8,       /* setresuid */
    SF_STEP_VERIFY_IDS = 9,      /* getresuid/getresgid disagree */
    SF_STEP_RLIMIT_CORE = 10,    /* setrlimit(RLIMIT_CORE, 0) */
    SF_STEP_NO_NEW_PRIVS = 11,   /* prctl(PR_SET_NO_NEW_PRIVS) */
    SF_STEP_PDEATHSIG = 12,      /* prctl(PR_SET_PDEATHSIG) */
    SF_STEP_PARENT_GONE = 13,    /* getppid() no longer the agent */
    SF_STEP_CHDIR = 14,          /* chdir */
    SF_STEP_EXECVE = 15,         /* execve */
    SF_STEP_PIPE = 16,           /* parent: pipe2 for the error report */
    SF_STEP_FORK = 17,           /* parent: fork */
    SF_STEP_REPORT = 18,         /* parent: reading the error report */
};

/* What to run and how. Every pointer is owned by the caller and must stay
   valid for the duration of sf_spawn; nothing is allocated in the child. */
struct sf_spawn_request {
    const char *path;               /* absolute path given to execve */
    char *const *argv;              /* NULL-terminated, argv[0] included */
    char *const *envp;              /* NULL-terminated, the whole environment */
    const char *working_directory;  /* chdir target */
    int stdin_fd;                   /* becomes fd 0 (e.g. /dev/null) */
    int stdout_fd;                  /* becomes fd 1 */
    int stderr_fd;                  /* becomes fd 2 */
    int set_user;                   /* non-zero: switch to uid/gid/groups */
    uid_t uid;
    gid_t gid;
    size_t ngroups;
    const gid_t *groups;
};

/* Why a launch failed: the step and the errno it left. */
struct sf_spawn_failure {
    int step;   /* an enum sf_spawn_step */
    int error;  /* errno */
};

/* Forks and execs `req`. The child becomes a session leader (its pid is its
   process group), gets 0/1/2 from the request and no other descriptor,
   optionally drops to uid/gid/groups, gets RLIMIT_CORE 0, no_new_privs and
   PDEATHSIG SIGKILL. Returns 0 with *pid_out set once execve succeeded;
   returns -1 with *failure_out set otherwise (a child that failed has been
   reaped). Blocks until the child has exec'd or failed. */
int sf_spawn(const struct sf_spawn_request *req, pid_t *pid_out,
             struct sf_spawn_failure *failure_out);

/* prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants become our
   children. Returns 0 or -1 with errno. */
int sf_set_child_subreaper(void);

/* pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start, so no
   concurrent fork in another thread can leak them. 0 or -1 with errno. */
int sf_pipe_cloexec(int fds[2]);

/* pidfd_open(pid, 0) with O_CLOEXEC semantics (pidfds are always
   close-on-exec). Returns the fd or -1 with errno. */
int sf_pidfd_open(pid_t pid);

/* Installs SA_RESTART handlers for SIGTERM, SIGINT and SIGHUP that record
   the signal and write one byte to a non-blocking, close-on-exec pipe.
   Idempotent. Returns the pipe's read end, or -1 with errno. */
int sf_signals_install(void);

/* The latch's read end, or -1 before sf_signals_install. */
int sf_signals_descriptor(void);

/* The last signal the latch received, or 0. */
int sf_signals_last(void);

/* syncfs(2), which glibc declares only under _GNU_SOURCE. */
int sf_syncfs(int fd);

#endif
