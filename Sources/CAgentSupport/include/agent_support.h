#ifndef SF_AGENT_SUPPORT_H
#define SF_AGENT_SUPPORT_H

/* The C the agent needs and Swift cannot express: the child side of
   fork/exec (with its sandbox: rlimits, Landlock, seccomp, a network
   namespace), prctl, probes, and signal delivery to a pipe. Kept narrow. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The step of a launch that failed. Child steps are numbered in the order
   the child runs them; parent steps come after. */
enum sf_spawn_step {
    SF_STEP_NONE = 0,
    SF_STEP_RESET_SIGNALS = 1,   /* sigaction(SIG_DFL) / sigprocmask */
    SF_STEP_SETSID = 2,          /* setsid() */
    SF_STEP_MOVE_FDS = 3,        /* fcntl(F_DUPFD_CLOEXEC) */
    SF_STEP_DUP2 = 4,            /* dup2 to 0, 1, 2 (and the ruleset to 4) */
    SF_STEP_CLOSE_FDS = 5,       /* close_range */
    SF_STEP_UNSHARE_NET = 6,     /* unshare(CLONE_NEWNET) */
    SF_STEP_SETGROUPS = 7,       /* setgroups */
    SF_STEP_SETRESGID = 8,       /* setresgid */
    SF_STEP_SETRESUID = 9,       /* setresuid */
    SF_STEP_VERIFY_IDS = 10,     /* getresuid/getresgid disagree */
    SF_STEP_RLIMIT = 11,         /* setrlimit (core 0, then the request's) */
    SF_STEP_NO_NEW_PRIVS = 12,   /* prctl(PR_SET_NO_NEW_PRIVS) */
    SF_STEP_PDEATHSIG = 13,      /* prctl(PR_SET_PDEATHSIG) */
    SF_STEP_PARENT_GONE = 14,    /* getppid() no longer the agent */
    SF_STEP_CHDIR = 15,          /* chdir */
    SF_STEP_LANDLOCK = 16,       /* landlock_restrict_self */
    SF_STEP_SECCOMP = 17,        /* prctl(PR_SET_SECCOMP) */
    SF_STEP_EXECVE = 18,         /* execve */
    SF_STEP_PIPE = 19,           /* parent: pipe2 for the error report */
    SF_STEP_FORK = 20,           /* parent: fork */
    SF_STEP_REPORT = 21,         /* parent: reading the error report */
    SF_STEP_USER_MAP = 22,       /* init: writing uid_map, setgroups, gid_map */
    SF_STEP_MOUNT = 23,          /* init: a private mount tree and a /proc of the namespace */
    SF_STEP_INIT_FORK = 24,      /* init: clone of the program */
    SF_STEP_MOUNT_PASSWD = 25,   /* init: the job's view of /etc/passwd */
};

/* Namespaces a launch puts the program in (sf_spawn_request.namespaces). */
enum sf_namespace {
    /* A network namespace of its own: only a loopback that is down. */
    SF_NAMESPACE_NETWORK = 1 << 0,
    /* A PID namespace (and a mount namespace with a /proc of its own) whose
       init is a small supervisor of the agent's: when it dies, the kernel
       kills every process in the namespace. */
    SF_NAMESPACE_PID = 1 << 1,
    /* With SF_NAMESPACE_PID: create the namespaces inside a new user
       namespace that maps the agent's uid and gid to themselves (how a
       non-root agent may create them). */
    SF_NAMESPACE_USER = 1 << 2,
    /* With SF_NAMESPACE_PID: a tmpfs of the job's own over /dev/shm
       (POSIX shared memory and semaphores), sf_spawn_request.shm_bytes big. */
    SF_NAMESPACE_SHM = 1 << 3,
};

/* One resource limit the child sets (soft and hard). */
struct sf_rlimit_setting {
    int resource;    /* RLIMIT_CPU, RLIMIT_AS, ... */
    uint64_t soft;   /* UINT64_MAX for unlimited */
    uint64_t hard;
};

/* What to run and how. Every pointer is owned by the caller and must stay
   valid for the duration of sf_spawn; nothing is allocated in the child. */
struct sf_spawn_request {
    const char *path;               /* absolute path given to execve */
    char *const *argv;              /* NULL-terminated, argv[0] included */
    char *const *envp;              /* NULL-terminated, the whole environment */
    const char *working_directory;  /* chdir target; NULL keeps the agent's */
    int stdin_fd;                   /* becomes fd 0 (e.g. /dev/null) */
    int stdout_fd;                  /* becomes fd 1 */
    int stderr_fd;                  /* becomes fd 2 */
    int set_user;                   /* non-zero: switch to uid/gid/groups */
    uid_t uid;
    gid_t gid;
    size_t ngroups;
    const gid_t *groups;
    const struct sf_rlimit_setting *rlimits;  /* set after the uid change */
    size_t nrlimits;
    int new_session;          /* non-zero: setsid() (jobs); zero: the agent's session (helpers) */
    int namespaces;           /* enum sf_namespace bits */
    int landlock_ruleset_fd;  /* >= 0: landlock_restrict_self(fd) after no_new_privs */
    /* With SF_NAMESPACE_PID and a ruleset: the Landlock rights the
       namespace's own /proc gets (a rule on the agent's /proc does not
       reach a procfs mounted over it); 0 for none. */
    uint64_t landlock_proc_access;
    /* With SF_NAMESPACE_SHM: the size of the job's /dev/shm, and the
       Landlock rights it gets (as for /proc: the mount needs its own rule). */
    uint64_t shm_bytes;
    uint64_t landlock_shm_access;
    /* With SF_NAMESPACE_PID: a file bind-mounted (read-only) over
       /etc/passwd in the job's mount namespace; NULL for none. */
    const char *passwd_file;
    int seccomp;              /* bits, 0 for no filter: 1 the filter (arch, x32, io_uring,
                                 TIOCSTI/TIOCLINUX), 2 also refuse socket(2) but AF_NETLINK
                                 and datagram socketpairs (EACCES); installed last */
};

/* Why a launch failed: the step and the errno it left. */
struct sf_spawn_failure {
    int step;   /* an enum sf_spawn_step */
    int error;  /* errno */
};

/* What sf_spawn started. */
struct sf_spawn_result {
    /* The child: the program itself, or with SF_NAMESPACE_PID the
       namespace's init (the program is its child). */
    pid_t pid;
    /* With SF_NAMESPACE_PID: a non-blocking, close-on-exec read end where
       the init writes the program's wait status (an int, 4 bytes) when the
       program ends, then exits once no process is left in the namespace.
       Otherwise -1. */
    int status_fd;
    /* Set when sf_spawn returns -1. */
    struct sf_spawn_failure failure;
};

/* Forks and execs `req`. Without namespaces the child optionally becomes a
   session leader (its pid is its process group), gets 0/1/2 from the
   request and no other descriptor, optionally enters a new network
   namespace, optionally drops to uid/gid/groups, gets RLIMIT_CORE 0 and
   the request's limits, no_new_privs, PDEATHSIG SIGKILL, optionally the
   Landlock ruleset and the seccomp filter (see sf_child_seccomp_install),
   in that order.

   With SF_NAMESPACE_PID the agent's child is instead the init of a new PID
   namespace (and mount namespace, and network namespace with
   SF_NAMESPACE_NETWORK, all inside a new user namespace with
   SF_NAMESPACE_USER): it mounts a /proc of the namespace, takes PDEATHSIG
   SIGKILL (so the whole namespace dies with the agent), starts the
   program as above as its own child, forwards SIGTERM, SIGINT, SIGHUP,
   SIGQUIT, SIGUSR1 and SIGUSR2 to every process of the namespace, reaps
   every orphan, reports the program's wait status on `status_fd`, and
   exits when no process of the namespace is left. SIGKILL to the init
   kills the namespace.

   Any failed step aborts the launch. Returns 0 once execve succeeded;
   returns -1 with result->failure set otherwise (a child that failed has
   been killed and reaped). Blocks until the program has exec'd or failed. */
int sf_spawn(const struct sf_spawn_request *req, struct sf_spawn_result *result);

/* ---- probes and Landlock (parent side) ------------------------------ */

/* The running kernel's Landlock ABI version (1, 2, ...), or -1 with errno
   (ENOSYS: not built in or blocked; EOPNOTSUPP: disabled at boot). */
int sf_landlock_abi(void);

/* landlock_create_ruleset with the given handled rights; the attribute
   size matches `abi` (fs only before 4, net from 4, scoped from 6).
   Returns a close-on-exec fd, or -1 with errno. */
int sf_landlock_create_ruleset(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped, int abi);

/* Adds a path-beneath rule: `access` under the file or directory that
   `path_fd` (an O_PATH descriptor) names. 0 or -1 with errno. */
int sf_landlock_add_path(int ruleset_fd, int path_fd, uint64_t access);

/* open(path, O_PATH | O_CLOEXEC): a descriptor that names the path for a
   Landlock rule without opening its content. The fd or -1 with errno. */
int sf_open_path(const char *path);

/* Whether a launch with `namespaces` (enum sf_namespace bits) can work
   here: clones a child into them that sets up what the init would (user
   maps, mounts) and exits. 0 when it could, else the errno. */
int sf_probe_namespaces(int namespaces);

/* 1 when /dev/shm is a tmpfs and the calling process is not in the host's
   initial IPC namespace (a container's own /dev/shm), else 0. */
int sf_shared_memory_is_private_tmpfs(void);

/* Whether seccomp filters with SECCOMP_RET_ERRNO are available: 0, else
   the errno. */
int sf_probe_seccomp(void);

/* The ioctl requests the child's seccomp filter refuses with EPERM. */
extern const unsigned long sf_seccomp_denied_ioctls[2];

/* ---- process helpers ------------------------------------------------- */

/* prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants become our
   children. Returns 0 or -1 with errno. */
int sf_set_child_subreaper(void);

/* prctl(PR_SET_DUMPABLE, 0): no core dump, and /proc/<pid>/mem, environ,
   fd and ptrace need CAP_SYS_PTRACE even for the same uid. execve resets
   it, so what the agent starts is not affected. 0 or -1 with errno. */
int sf_set_not_dumpable(void);

/* pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start, so no
   concurrent fork in another thread can leak them. 0 or -1 with errno. */
int sf_pipe_cloexec(int fds[2]);

/* fcntl(fd, F_SETPIPE_SZ, bytes): asks for a pipe buffer of `bytes` (the
   kernel rounds up to a power of two of pages and may refuse sizes above
   /proc/sys/fs/pipe-max-size). Returns the new size or -1 with errno. */
int sf_pipe_set_size(int fd, int bytes);

/* pidfd_open(pid, 0) with O_CLOEXEC semantics (pidfds are always
   close-on-exec). Returns the fd or -1 with errno. */
int sf_pidfd_open(pid_t pid);

/* pidfd_send_signal(fd, sig, NULL, 0): signals exactly the process the
   pidfd was opened for (ESRCH once it is gone, whoever has its pid now).
   0 or -1 with errno. */
int sf_pidfd_send_signal(int pidfd, int sig);

/* Whether the calling process has any child left, living or not yet
   reaped (of any of its threads): waitid(P_ALL, WEXITED | WNOHANG |
   WNOWAIT | __WALL). 1 yes, 0 no (ECHILD), -1 with errno on another error. */
int sf_has_children(void);

/* Installs SA_RESTART handlers for SIGTERM, SIGINT and SIGHUP that record
   the signal and write one byte to a non-blocking, close-on-exec pipe, and
   unblocks them in the calling thread. Idempotent. Returns the pipe's read end, or -1 with errno. */
int sf_signals_install(void);

/* The latch's read end, or -1 before sf_signals_install. */
int sf_signals_descriptor(void);

/* The last signal the latch received, or 0. */
int sf_signals_last(void);

/* syncfs(2), which glibc declares only under _GNU_SOURCE. */
int sf_syncfs(int fd);

#endif
