#define _GNU_SOURCE
#include "agent_support.h"
#include "spawn_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The init of a job's PID namespace. It is a clone of the agent that never
   execs (so it needs no binary of its own and starts in microseconds), and
   runs nothing but the system calls below. It stays root (or, in a user
   namespace, holds the namespace's capabilities) and is non-dumpable like
   the agent it was cloned from, so the job can neither signal it with
   effect (the kernel drops signals from inside the namespace that the init
   has no handler for, and SIGKILL from inside) nor read its memory. */

/* The init's exit status when the program was never reported (it cannot
   happen unless the kernel lost a child). */
enum { SF_INIT_LOST_PROGRAM = 3, SF_INIT_WAIT_FAILED = 4 };

/* The signals the init passes on to every process of the namespace. */
static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static int write_text(const char *path, const char *text, size_t length) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t written = write(fd, text, length);
    int saved = errno;
    close(fd);
    if (written == (ssize_t)length) return 0;
    errno = written < 0 ? saved : EIO;
    return -1;
}

/* "<id> <id> 1\n" into `buffer` (at least 34 bytes); returns the length. */
static size_t format_identity_map(char *buffer, uint32_t id) {
    char digits[10];
    size_t count = 0;
    do {
        digits[count++] = (char)('0' + id % 10);
        id /= 10;
    } while (id != 0);
    size_t length = 0;
    for (int copy = 0; copy < 2; copy++) {
        for (size_t i = count; i > 0; i--) buffer[length++] = digits[i - 1];
        buffer[length++] = ' ';
    }
    buffer[length++] = '1';
    buffer[length++] = '\n';
    return length;
}

static int write_maps(uid_t outer_uid, gid_t outer_gid) {
    char line[40];
    size_t length = format_identity_map(line, (uint32_t)outer_uid);
    if (write_text("/proc/self/uid_map", line, length) != 0) return -1;
    /* An unprivileged process may map its gid only once setgroups is denied. */
    if (write_text("/proc/self/setgroups", "deny", 4) != 0 && errno != ENOENT) return -1;
    length = format_identity_map(line, (uint32_t)outer_gid);
    return write_text("/proc/self/gid_map", line, length);
}

int sf_write_id_maps(uid_t outer_uid, gid_t outer_gid) {
    /* The agent is non-dumpable, so its clone's /proc/self files belong to
       root and the maps cannot be opened. Dumpable only for the three
       writes, before the program exists: a process of the same uid that is
       neither sandboxed nor Yama-restricted could read this clone's memory
       in that window (documented in security.md). */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) return -1;
    int result = write_maps(outer_uid, outer_gid);
    int saved = errno;
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) _exit(127);
    errno = saved;
    return result;
}

int sf_mount_namespace_proc(void) {
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) return -1;
    return mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

int sf_mount_private_shm(uint64_t bytes) {
    /* "size=<bytes>,mode=1777" without snprintf (not async-signal-safe). */
    char options[48] = "size=";
    size_t length = 5;
    char digits[20];
    size_t count = 0;
    do {
        digits[count++] = (char)('0' + bytes % 10);
        bytes /= 10;
    } while (bytes != 0);
    while (count > 0) options[length++] = digits[--count];
    const char mode[] = ",mode=1777";
    for (size_t i = 0; i < sizeof mode; i++) options[length++] = mode[i];
    return mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options);
}

/* Grants `access` under `path` in the ruleset at SF_FD_RULESET: Landlock
   ignores rules on a mount point hidden by a mount, so what the init mounts
   needs rules of its own before the program restricts itself. */
static void allow_mount(const struct sf_spawn_request *req, const char *path, uint64_t access) {
    if (req->landlock_ruleset_fd < 0 || access == 0) return;
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0 || sf_landlock_add_path(SF_FD_RULESET, fd, access) != 0)
        sf_child_fail(SF_FD_REPORT, SF_STEP_LANDLOCK, errno);
    (void)close(fd);
}

/* Waits for signals (all stay blocked: delivered only through
   sigwaitinfo), forwards the stop signals to the whole namespace, reaps
   every child, reports the program's status once, and exits when the
   namespace is empty. */
__attribute__((noreturn)) static void supervise(pid_t program, int status_fd) {
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGCHLD);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaddset(&wanted, forwarded[i]);
    /* Children cloned with another exit signal (or none) send no SIGCHLD:
       look every second anyway. */
    const struct timespec period = { 1, 0 };
    int reported = 0;
    for (;;) {
        siginfo_t info;
        int sig = sigtimedwait(&wanted, &info, &period);
        if (sig < 0 && errno == EAGAIN) sig = SIGCHLD;
        if (sig < 0) {
            if (errno == EINTR) continue;
            _exit(SF_INIT_WAIT_FAILED);
        }
        if (sig != SIGCHLD) {
            /* Every process of the namespace but the init itself. */
            (void)kill(-1, sig);
            continue;
        }
        for (;;) {
            int status = 0;
            pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);
            if (pid > 0) {
                if (pid == program && !reported) {
                    int32_t record = status;
                    ssize_t written;
                    do {
                        written = write(status_fd, &record, sizeof record);
                    } while (written < 0 && errno == EINTR);
                    reported = 1;
                }
                continue;
            }
            if (pid == 0) break;
            if (errno == EINTR) continue;
            /* ECHILD: every process that ever lived in the namespace was a
               descendant of the init, and each orphan was reparented to a
               living ancestor, so no child means no process left. */
            _exit(errno == ECHILD ? (reported ? 0 : SF_INIT_LOST_PROGRAM) : SF_INIT_WAIT_FAILED);
        }
    }
}

__attribute__((noreturn)) void sf_init_run(const struct sf_spawn_request *req, int report_fd, int status_fd,
                                           int agent_pidfd, uid_t outer_uid, gid_t outer_gid) {
    /* Before anything else: until the maps are written the process has no
       valid ids in its user namespace. */
    if ((req->namespaces & SF_NAMESPACE_USER) && sf_write_id_maps(outer_uid, outer_gid) != 0)
        sf_child_fail(report_fd, SF_STEP_USER_MAP, errno);

    /* Signals stay blocked for good: the init takes them with sigwaitinfo. */
    sf_child_reset_signals(report_fd, 0);
    if (setsid() < 0) sf_child_fail(report_fd, SF_STEP_SETSID, errno);
    const int sources[SF_FD_COUNT] = {
        req->stdin_fd, req->stdout_fd, req->stderr_fd, report_fd, req->landlock_ruleset_fd, status_fd, agent_pidfd,
    };
    sf_child_place_descriptors(report_fd, sources);
    report_fd = SF_FD_REPORT;

    if (sf_mount_namespace_proc() != 0) sf_child_fail(report_fd, SF_STEP_MOUNT, errno);
    allow_mount(req, "/proc", req->landlock_proc_access);
    if (req->namespaces & SF_NAMESPACE_SHM) {
        if (sf_mount_private_shm(req->shm_bytes) != 0) sf_child_fail(report_fd, SF_STEP_MOUNT, errno);
        allow_mount(req, "/dev/shm", req->landlock_shm_access);
    }
    if (req->passwd_file != NULL &&
        (mount(req->passwd_file, "/etc/passwd", NULL, MS_BIND, NULL) != 0 ||
         mount(NULL, "/etc/passwd", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0))
        sf_child_fail(report_fd, SF_STEP_MOUNT_PASSWD, errno);

    /* The whole namespace dies with the agent. The parent is outside the
       namespace (getppid() is 0), so the check that the agent did not die
       before the signal was armed asks its pidfd. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) sf_child_fail(report_fd, SF_STEP_PDEATHSIG, errno);
    if (agent_pidfd >= 0) {
        struct pollfd agent = { SF_FD_AGENT, POLLIN, 0 };
        if (poll(&agent, 1, 0) != 0) sf_child_fail(report_fd, SF_STEP_PARENT_GONE, ESRCH);
    }
    (void)close(SF_FD_AGENT);

    pid_t program = sf_raw_fork(0);
    if (program < 0) sf_child_fail(report_fd, SF_STEP_INIT_FORK, errno);
    if (program == 0) {
        (void)close(SF_FD_STATUS);
        sigset_t none;
        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, &none, NULL) != 0) sf_child_fail(report_fd, SF_STEP_RESET_SIGNALS, errno);
        if (req->new_session && setsid() < 0) sf_child_fail(report_fd, SF_STEP_SETSID, errno);
        /* The init is pid 1 of the namespace. */
        sf_child_exec_program(req, 1, 0);
    }

    /* The program's descriptors are the program's: EOF on the output pipes
       and on the report must come when the program and what it started
       close theirs. */
    for (int fd = 0; fd <= SF_FD_RULESET; fd++) (void)close(fd);
    supervise(program, SF_FD_STATUS);
}

int sf_probe_namespaces(int namespaces) {
    uid_t outer_uid = geteuid();
    gid_t outer_gid = getegid();
    /* Signals stay blocked in the probe child: the agent's handlers must
       not run there (they write to the agent's signal pipe). */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = sf_raw_fork(sf_clone_flags(namespaces));
    if (pid == 0) {
        if ((namespaces & SF_NAMESPACE_USER) && sf_write_id_maps(outer_uid, outer_gid) != 0)
            _exit(errno > 0 && errno < 256 ? errno : 1);
        if ((namespaces & SF_NAMESPACE_PID) && sf_mount_namespace_proc() != 0)
            _exit(errno > 0 && errno < 256 ? errno : 1);
        if ((namespaces & SF_NAMESPACE_SHM) && sf_mount_private_shm(1 << 20) != 0)
            _exit(errno > 0 && errno < 256 ? errno : 1);
        _exit(0);
    }
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) return fork_error;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return errno;
    }
    if (!WIFEXITED(status)) return ECHILD;
    return WEXITSTATUS(status);
}
