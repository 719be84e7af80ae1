#define _GNU_SOURCE
#include "agent_support.h"
#include "sandbox_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* ---- fork/exec ------------------------------------------------------- */

/* What the child writes to the error pipe: one atomic 8-byte record. */
struct sf_report {
    int32_t step;
    int32_t error;
};

/* Lowest descriptor the child moves its sources to before dup2, so that no
   source can collide with 0..3. */
enum { SF_HIGH_FD = 11 };

__attribute__((noreturn)) static void child_fail(int report_fd, int step, int error) {
    struct sf_report report = { step, error };
    ssize_t written;
    do {
        written = write(report_fd, &report, sizeof report);
    } while (written < 0 && errno == EINTR);
    _exit(127);
}

/* Closes every descriptor from `first` up. close_range when the kernel has
   it, else a loop up to the descriptor limit. Async-signal-safe. */
static int close_from(unsigned int first) {
    if (syscall(SYS_close_range, first, ~0U, 0) == 0) return 0;
    if (errno != ENOSYS) return -1;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    rlim_t top = limit.rlim_cur == RLIM_INFINITY ? 65536 : limit.rlim_cur;
    for (rlim_t fd = first; fd < top; fd++) (void)close((int)fd);
    return 0;
}

/* The child between fork and execve: async-signal-safe calls only, no
   allocation. The uid/gid/group changes are raw syscalls: they must apply
   to this single thread only, never through glibc's all-threads setxid
   broadcast (the child has one thread, whatever glibc's bookkeeping says). */
__attribute__((noreturn)) static void child_run(const struct sf_spawn_request *req,
                                                int report_fd, pid_t parent) {
    /* 1. Default dispositions, then unblock everything (the parent blocked
       all signals around fork, so no handler of the agent can run here). */
    struct sigaction default_action = { 0 };
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        /* glibc reserves a few real-time signals and answers EINVAL. */
        if (sigaction(sig, &default_action, NULL) != 0 && errno != EINVAL)
            child_fail(report_fd, SF_STEP_RESET_SIGNALS, errno);
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
        child_fail(report_fd, SF_STEP_RESET_SIGNALS, errno);

    /* 2. A new session: the child's pid is its process group. */
    if (setsid() < 0) child_fail(report_fd, SF_STEP_SETSID, errno);

    /* 3. Move every source above the target range first, so that a source
       that already is 0..4 cannot be overwritten before it is used. */
    int high_report = fcntl(report_fd, F_DUPFD_CLOEXEC, SF_HIGH_FD);
    if (high_report < 0) child_fail(report_fd, SF_STEP_MOVE_FDS, errno);
    report_fd = high_report;
    int high_in = fcntl(req->stdin_fd, F_DUPFD_CLOEXEC, SF_HIGH_FD);
    if (high_in < 0) child_fail(report_fd, SF_STEP_MOVE_FDS, errno);
    int high_out = fcntl(req->stdout_fd, F_DUPFD_CLOEXEC, SF_HIGH_FD);
    if (high_out < 0) child_fail(report_fd, SF_STEP_MOVE_FDS, errno);
    int high_err = fcntl(req->stderr_fd, F_DUPFD_CLOEXEC, SF_HIGH_FD);
    if (high_err < 0) child_fail(report_fd, SF_STEP_MOVE_FDS, errno);
    int high_ruleset = -1;
    if (req->landlock_ruleset_fd >= 0) {
        high_ruleset = fcntl(req->landlock_ruleset_fd, F_DUPFD_CLOEXEC, SF_HIGH_FD);
        if (high_ruleset < 0) child_fail(report_fd, SF_STEP_MOVE_FDS, errno);
    }

    /* 4. 0, 1, 2 (dup2 clears close-on-exec), the report pipe at 3 and the
       Landlock ruleset at 4, both close-on-exec. */
    if (dup2(high_in, 0) < 0) child_fail(report_fd, SF_STEP_DUP2, errno);
    if (dup2(high_out, 1) < 0) child_fail(report_fd, SF_STEP_DUP2, errno);
    if (dup2(high_err, 2) < 0) child_fail(report_fd, SF_STEP_DUP2, errno);
    if (dup3(report_fd, 3, O_CLOEXEC) < 0) child_fail(report_fd, SF_STEP_DUP2, errno);
    report_fd = 3;
    int ruleset_fd = -1;
    if (high_ruleset >= 0) {
        if (dup3(high_ruleset, 4, O_CLOEXEC) < 0) child_fail(report_fd, SF_STEP_DUP2, errno);
        ruleset_fd = 4;
    }

    /* 5. Nothing else survives: the rest is closed now, 3 and 4 before or
       at execve. */
    if (close_from(ruleset_fd >= 0 ? 5 : 4) != 0) child_fail(report_fd, SF_STEP_CLOSE_FDS, errno);

    /* 6. A network namespace of its own (only loopback, down): needs the
       agent's privileges, so before the uid change. */
    if (req->unshare_network && unshare(CLONE_NEWNET) != 0)
        child_fail(report_fd, SF_STEP_UNSHARE_NET, errno);

    /* 7. Drop to the job's user: groups, then gid, then uid; verify. */
    if (req->set_user) {
        if (syscall(SYS_setgroups, req->ngroups, req->groups) != 0)
            child_fail(report_fd, SF_STEP_SETGROUPS, errno);
        if (syscall(SYS_setresgid, req->gid, req->gid, req->gid) != 0)
            child_fail(report_fd, SF_STEP_SETRESGID, errno);
        if (syscall(SYS_setresuid, req->uid, req->uid, req->uid) != 0)
            child_fail(report_fd, SF_STEP_SETRESUID, errno);
        uid_t ruid, euid, suid;
        gid_t rgid, egid, sgid;
        if (syscall(SYS_getresuid, &ruid, &euid, &suid) != 0 ||
            syscall(SYS_getresgid, &rgid, &egid, &sgid) != 0)
            child_fail(report_fd, SF_STEP_VERIFY_IDS, errno);
        if (ruid != req->uid || euid != req->uid || suid != req->uid ||
            rgid != req->gid || egid != req->gid || sgid != req->gid)
            child_fail(report_fd, SF_STEP_VERIFY_IDS, EPERM);
    }

    /* 8. No core dumps (they could hold secrets), then the job's limits
       (after the uid change: RLIMIT_NPROC counts the new real uid). */
    struct rlimit no_core = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &no_core) != 0) child_fail(report_fd, SF_STEP_RLIMIT, errno);
    for (size_t i = 0; i < req->nrlimits; i++) {
        const struct sf_rlimit_setting *setting = &req->rlimits[i];
        struct rlimit limit = {
            setting->soft == UINT64_MAX ? RLIM_INFINITY : (rlim_t)setting->soft,
            setting->hard == UINT64_MAX ? RLIM_INFINITY : (rlim_t)setting->hard,
        };
        if (setrlimit(setting->resource, &limit) != 0) child_fail(report_fd, SF_STEP_RLIMIT, errno);
    }

    /* 9. No privilege gain through setuid binaries or file capabilities. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        child_fail(report_fd, SF_STEP_NO_NEW_PRIVS, errno);

    /* 10. Die with the agent. After the uid change, which clears it; then
       make sure the agent did not die before it took effect. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
        child_fail(report_fd, SF_STEP_PDEATHSIG, errno);
    if (getppid() != parent) child_fail(report_fd, SF_STEP_PARENT_GONE, ESRCH);

    /* 11. Working directory. */
    if (chdir(req->working_directory) != 0) child_fail(report_fd, SF_STEP_CHDIR, errno);

    /* 12. Landlock: from here on only the ruleset's paths (and, with ABI 4,
       ports; with ABI 6, signal and abstract-socket scopes). */
    if (ruleset_fd >= 0) {
        if (sf_child_landlock_restrict(ruleset_fd) != 0) child_fail(report_fd, SF_STEP_LANDLOCK, errno);
        (void)close(ruleset_fd);
    }

    /* 13. seccomp last: nothing after it needs a denied call. */
    if (req->seccomp && sf_child_seccomp_install(req->seccomp) != 0) child_fail(report_fd, SF_STEP_SECCOMP, errno);

    /* 14. The program. */
    execve(req->path, req->argv, req->envp);
    child_fail(report_fd, SF_STEP_EXECVE, errno);
}

int sf_spawn(const struct sf_spawn_request *req, pid_t *pid_out,
             struct sf_spawn_failure *failure_out) {
    failure_out->step = SF_STEP_NONE;
    failure_out->error = 0;

    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        failure_out->step = SF_STEP_PIPE;
        failure_out->error = errno;
        return -1;
    }

    /* Block every signal across fork so the child cannot run one of the
       agent's handlers before it has reset them. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) child_run(req, report[1], parent);
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(report[1]);

    if (pid < 0) {
        close(report[0]);
        failure_out->step = SF_STEP_FORK;
        failure_out->error = fork_error;
        return -1;
    }

    /* EOF with no bytes: execve closed the pipe, the program runs. */
    struct sf_report record = { 0, 0 };
    size_t received = 0;
    int read_error = 0;
    while (received < sizeof record) {
        ssize_t count = read(report[0], (char *)&record + received, sizeof record - received);
        if (count < 0) {
            if (errno == EINTR) continue;
            read_error = errno;
            break;
        }
        if (count == 0) break;
        received += (size_t)count;
    }
    close(report[0]);

    if (received == 0 && read_error == 0) {
        *pid_out = pid;
        return 0;
    }

    if (read_error != 0) kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (received == sizeof record) {
        failure_out->step = record.step;
        failure_out->error = record.error;
    } else {
        failure_out->step = SF_STEP_REPORT;
        failure_out->error = read_error != 0 ? read_error : EIO;
    }
    return -1;
}

/* ---- process helpers ------------------------------------------------- */

int sf_set_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

int sf_set_not_dumpable(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int sf_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int sf_pipe_set_size(int fd, int bytes) {
    return fcntl(fd, F_SETPIPE_SZ, bytes);
}

int sf_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* ---- signal latch ---------------------------------------------------- */

static volatile sig_atomic_t latch_last = 0;
static volatile sig_atomic_t latch_write_fd = -1;
static int latch_read_fd = -1;
static pthread_mutex_t latch_lock = PTHREAD_MUTEX_INITIALIZER;

static void latch_handler(int sig) {
    int saved = errno;
    latch_last = sig;
    int fd = latch_write_fd;
    if (fd >= 0) {
        unsigned char byte = (unsigned char)sig;
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int sf_signals_install(void) {
    pthread_mutex_lock(&latch_lock);
    if (latch_read_fd >= 0) {
        int fd = latch_read_fd;
        pthread_mutex_unlock(&latch_lock);
        return fd;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        int saved = errno;
        pthread_mutex_unlock(&latch_lock);
        errno = saved;
        return -1;
    }
    latch_write_fd = fds[1];
    struct sigaction action = { 0 };
    action.sa_handler = latch_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    const int signals[] = { SIGTERM, SIGINT, SIGHUP };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) {
            int saved = errno;
            pthread_mutex_unlock(&latch_lock);
            errno = saved;
            return -1;
        }
    }
    /* A launcher may have started the agent with these blocked (the mask
       is inherited across execve): unblock them, or a container stop
       would never reach the latch. */
    sigset_t wanted;
    sigemptyset(&wanted);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaddset(&wanted, signals[i]);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
    latch_read_fd = fds[0];
    pthread_mutex_unlock(&latch_lock);
    return fds[0];
}

int sf_signals_descriptor(void) {
    pthread_mutex_lock(&latch_lock);
    int fd = latch_read_fd;
    pthread_mutex_unlock(&latch_lock);
    return fd;
}

int sf_signals_last(void) {
    return latch_last;
}

int sf_syncfs(int fd) {
    return syncfs(fd);
}
