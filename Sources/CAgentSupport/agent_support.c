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
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

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

int sf_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int sf_has_children(void) {
    siginfo_t info;
    info.si_pid = 0;
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0) return 1;
    return errno == ECHILD ? 0 : -1;
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

/* ---- /dev/shm ------------------------------------------------------------ */

int sf_shared_memory_is_private_tmpfs(void) {
    /* The host's initial IPC namespace has a fixed inode (PROC_IPC_INIT_INO). */
    const unsigned long initial_ipc = 0xEFFFFFFFUL;
    const long tmpfs_magic = 0x01021994L;
    struct stat ipc;
    if (stat("/proc/self/ns/ipc", &ipc) != 0 || (unsigned long)ipc.st_ino == initial_ipc) return 0;
    struct statfs shm;
    if (statfs("/dev/shm", &shm) != 0) return 0;
    return (long)shm.f_type == tmpfs_magic ? 1 : 0;
}
