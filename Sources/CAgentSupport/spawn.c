#define _GNU_SOURCE
#include "agent_support.h"
#include "sandbox_internal.h"
#include "spawn_internal.h"

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

/* What the child writes to the report pipe: one atomic 8-byte record. */
struct sf_report {
    int32_t step;
    int32_t error;
};

/* Lowest descriptor the child moves its sources to before placing them, so
   that no source can collide with a slot. */
enum { SF_HIGH_FD = 16 };

__attribute__((noreturn)) void sf_child_fail(int report_fd, int step, int error) {
    struct sf_report report = { step, error };
    ssize_t written;
    do {
        written = write(report_fd, &report, sizeof report);
    } while (written < 0 && errno == EINTR);
    _exit(127);
}

/* Closes every descriptor from `first` up. close_range when the kernel has
   it, else a loop up to the descriptor limit. */
static int close_from(unsigned int first) {
    if (syscall(SYS_close_range, first, ~0U, 0) == 0) return 0;
    if (errno != ENOSYS) return -1;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    rlim_t top = limit.rlim_cur == RLIM_INFINITY ? 65536 : limit.rlim_cur;
    for (rlim_t fd = first; fd < top; fd++) (void)close((int)fd);
    return 0;
}

int sf_default_dispositions(void) {
    struct sigaction default_action = { 0 };
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        /* glibc reserves a few real-time signals and answers EINVAL. */
        if (sigaction(sig, &default_action, NULL) != 0 && errno != EINVAL) return -1;
    }
    return 0;
}

int sf_switch_user(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups, int *failed) {
    *failed = SF_SWITCH_SETGROUPS;
    if (syscall(SYS_setgroups, ngroups, groups) != 0) return -1;
    *failed = SF_SWITCH_SETRESGID;
    if (syscall(SYS_setresgid, gid, gid, gid) != 0) return -1;
    *failed = SF_SWITCH_SETRESUID;
    if (syscall(SYS_setresuid, uid, uid, uid) != 0) return -1;
    *failed = SF_SWITCH_VERIFY;
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    if (syscall(SYS_getresuid, &ruid, &euid, &suid) != 0 || syscall(SYS_getresgid, &rgid, &egid, &sgid) != 0) return -1;
    if (ruid != uid || euid != uid || suid != uid || rgid != gid || egid != gid || sgid != gid) {
        errno = EPERM;
        return -1;
    }
    return 0;
}

void sf_child_reset_signals(int report_fd, int unblock) {
    if (sf_default_dispositions() != 0) sf_child_fail(report_fd, SF_STEP_RESET_SIGNALS, errno);
    if (!unblock) return;
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0) sf_child_fail(report_fd, SF_STEP_RESET_SIGNALS, errno);
}

void sf_child_place_descriptors(int report_fd, const int sources[SF_FD_COUNT]) {
    /* Every source above the slots first, so that a source that already is
       a slot cannot be overwritten before it is used. */
    int high[SF_FD_COUNT];
    for (int slot = 0; slot < SF_FD_COUNT; slot++) {
        high[slot] = -1;
        if (sources[slot] < 0) continue;
        high[slot] = fcntl(sources[slot], F_DUPFD_CLOEXEC, SF_HIGH_FD);
        if (high[slot] < 0) sf_child_fail(report_fd, SF_STEP_MOVE_FDS, errno);
        if (slot == SF_FD_REPORT) report_fd = high[slot];
    }
    /* 0-2 without close-on-exec (dup2 clears it), the rest with it. */
    for (int slot = 0; slot < SF_FD_COUNT; slot++) {
        if (high[slot] < 0) {
            (void)close(slot);
            continue;
        }
        int placed = slot < 3 ? dup2(high[slot], slot) : dup3(high[slot], slot, O_CLOEXEC);
        if (placed < 0) sf_child_fail(report_fd, SF_STEP_DUP2, errno);
        if (slot == SF_FD_REPORT) report_fd = SF_FD_REPORT;
    }
    if (close_from(SF_FD_COUNT) != 0) sf_child_fail(report_fd, SF_STEP_CLOSE_FDS, errno);
}

__attribute__((noreturn)) void sf_child_exec_program(const struct sf_spawn_request *req, pid_t parent,
                                                     int unshare_network) {
    const int report_fd = SF_FD_REPORT;

    /* A network namespace of its own (only loopback, down): needs the
       agent's privileges, so before the uid change. */
    if (unshare_network && unshare(CLONE_NEWNET) != 0) sf_child_fail(report_fd, SF_STEP_UNSHARE_NET, errno);

    /* Drop to the job's user: groups, then gid, then uid; verify. */
    int failed = 0;
    if (req->set_user && sf_switch_user(req->uid, req->gid, req->ngroups, req->groups, &failed) != 0) {
        static const int steps[] = { SF_STEP_SETGROUPS, SF_STEP_SETRESGID, SF_STEP_SETRESUID, SF_STEP_VERIFY_IDS };
        sf_child_fail(report_fd, steps[failed], errno);
    }

    /* No core dumps (they could hold secrets), then the job's limits
       (after the uid change: RLIMIT_NPROC counts the new real uid). */
    struct rlimit no_core = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &no_core) != 0) sf_child_fail(report_fd, SF_STEP_RLIMIT, errno);
    for (size_t i = 0; i < req->nrlimits; i++) {
        const struct sf_rlimit_setting *setting = &req->rlimits[i];
        struct rlimit limit = {
            setting->soft == UINT64_MAX ? RLIM_INFINITY : (rlim_t)setting->soft,
            setting->hard == UINT64_MAX ? RLIM_INFINITY : (rlim_t)setting->hard,
        };
        if (setrlimit(setting->resource, &limit) != 0) sf_child_fail(report_fd, SF_STEP_RLIMIT, errno);
    }

    /* No privilege gain through setuid binaries or file capabilities. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) sf_child_fail(report_fd, SF_STEP_NO_NEW_PRIVS, errno);

    /* Die with the parent. After the uid change, which clears it; then
       make sure the parent did not die before it took effect. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) sf_child_fail(report_fd, SF_STEP_PDEATHSIG, errno);
    if (getppid() != parent) sf_child_fail(report_fd, SF_STEP_PARENT_GONE, ESRCH);

    if (req->working_directory != NULL && chdir(req->working_directory) != 0)
        sf_child_fail(report_fd, SF_STEP_CHDIR, errno);

    /* Landlock: from here on only the ruleset's paths (and, with ABI 4,
       ports; with ABI 6, signal and abstract-socket scopes). */
    if (req->landlock_ruleset_fd >= 0) {
        if (sf_child_landlock_restrict(SF_FD_RULESET) != 0) sf_child_fail(report_fd, SF_STEP_LANDLOCK, errno);
        (void)close(SF_FD_RULESET);
    }

    /* seccomp last: nothing after it needs a denied call. */
    if (req->seccomp && sf_child_seccomp_install(req->seccomp) != 0) sf_child_fail(report_fd, SF_STEP_SECCOMP, errno);

    execve(req->path, req->argv, req->envp);
    sf_child_fail(report_fd, SF_STEP_EXECVE, errno);
}

/* The child of a launch without a PID namespace. */
__attribute__((noreturn)) static void child_run(const struct sf_spawn_request *req, int report_fd, pid_t parent) {
    /* The parent blocked every signal around fork, so no handler of the
       agent can run here before the dispositions are reset. */
    sf_child_reset_signals(report_fd, 1);
    if (req->new_session && setsid() < 0) sf_child_fail(report_fd, SF_STEP_SETSID, errno);
    const int sources[SF_FD_COUNT] = {
        req->stdin_fd, req->stdout_fd, req->stderr_fd, report_fd, req->landlock_ruleset_fd, -1, -1,
    };
    sf_child_place_descriptors(report_fd, sources);
    sf_child_exec_program(req, parent, (req->namespaces & SF_NAMESPACE_NETWORK) != 0);
}

pid_t sf_raw_fork(unsigned long flags) {
    /* The same arguments on every architecture: no new stack, no tid or
       TLS pointers. */
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, (void *)0, (void *)0, (void *)0, 0UL);
}

unsigned long sf_clone_flags(int namespaces) {
    unsigned long flags = 0;
    if (namespaces & SF_NAMESPACE_PID) flags |= CLONE_NEWPID | CLONE_NEWNS;
    if (namespaces & SF_NAMESPACE_NETWORK) flags |= CLONE_NEWNET;
    if (namespaces & SF_NAMESPACE_USER) flags |= CLONE_NEWUSER;
    return flags;
}

/* Reads the child's report: 0 when the pipe reached EOF with nothing in it
   (the program runs), else the failure. */
static int read_report(int fd, struct sf_spawn_failure *failure) {
    struct sf_report record = { 0, 0 };
    size_t received = 0;
    int read_error = 0;
    while (received < sizeof record) {
        ssize_t count = read(fd, (char *)&record + received, sizeof record - received);
        if (count < 0) {
            if (errno == EINTR) continue;
            read_error = errno;
            break;
        }
        if (count == 0) break;
        received += (size_t)count;
    }
    if (received == 0 && read_error == 0) return 0;
    if (received == sizeof record) {
        failure->step = record.step;
        failure->error = record.error;
    } else {
        failure->step = SF_STEP_REPORT;
        failure->error = read_error != 0 ? read_error : EIO;
    }
    return -1;
}

static void close_pair(int fds[2]) {
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0) close(fds[i]);
        fds[i] = -1;
    }
}

int sf_spawn(const struct sf_spawn_request *req, struct sf_spawn_result *result) {
    result->pid = -1;
    result->status_fd = -1;
    result->failure.step = SF_STEP_NONE;
    result->failure.error = 0;
    const int contained = (req->namespaces & SF_NAMESPACE_PID) != 0;

    int report[2] = { -1, -1 };
    int status[2] = { -1, -1 };
    if (pipe2(report, O_CLOEXEC) != 0 || (contained && pipe2(status, O_CLOEXEC) != 0)) {
        result->failure.step = SF_STEP_PIPE;
        result->failure.error = errno;
        close_pair(report);
        return -1;
    }
    /* The init checks through it that the agent is still there once its
       parent-death signal is armed (getppid() is 0 across a PID namespace).
       Without pidfds (Linux < 5.3) that check is skipped. */
    int agent = contained ? (int)syscall(SYS_pidfd_open, getpid(), 0) : -1;
    uid_t outer_uid = geteuid();
    gid_t outer_gid = getegid();

    /* Block every signal across fork so the child cannot run one of the
       agent's handlers before it has reset them. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    pid_t pid = contained ? sf_raw_fork(sf_clone_flags(req->namespaces)) : fork();
    if (pid == 0) {
        if (contained) sf_init_run(req, report[1], status[1], agent, outer_uid, outer_gid);
        child_run(req, report[1], parent);
    }
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(report[1]);
    if (status[1] >= 0) close(status[1]);
    if (agent >= 0) close(agent);

    if (pid < 0) {
        close(report[0]);
        if (status[0] >= 0) close(status[0]);
        result->failure.step = SF_STEP_FORK;
        result->failure.error = fork_error;
        return -1;
    }

    /* EOF with no bytes: execve closed the pipe, the program runs. */
    int reported = read_report(report[0], &result->failure);
    close(report[0]);
    if (reported == 0) {
        if (status[0] >= 0) {
            int flags = fcntl(status[0], F_GETFL);
            if (flags >= 0) (void)fcntl(status[0], F_SETFL, flags | O_NONBLOCK);
        }
        result->pid = pid;
        result->status_fd = status[0];
        return 0;
    }

    /* A failed child has exited (or, an init, is about to); make sure. */
    if (contained || result->failure.step == SF_STEP_REPORT) kill(pid, SIGKILL);
    int wait_status;
    while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
    }
    if (status[0] >= 0) close(status[0]);
    return -1;
}
