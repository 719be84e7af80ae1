#define _GNU_SOURCE
#include "agent_support.h"
#include "sandbox_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Debian 12's headers stop at Landlock ABI 2: the syscall numbers are the
   same on every architecture (generic table), the structures are defined
   here as the kernel's uapi has them. */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif
#ifndef SYS_seccomp
#define SYS_seccomp 317
#endif

enum {
    SF_LANDLOCK_CREATE_RULESET_VERSION = 1 << 0,
    SF_LANDLOCK_RULE_PATH_BENEATH = 1,
};

struct sf_landlock_ruleset_attr {
    uint64_t handled_access_fs;   /* ABI 1 */
    uint64_t handled_access_net;  /* ABI 4 */
    uint64_t scoped;              /* ABI 6 */
};

struct sf_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

const unsigned long sf_seccomp_denied_ioctls[2] = { TIOCSTI, TIOCLINUX };

/* ---- Landlock --------------------------------------------------------- */

int sf_landlock_abi(void) {
    return (int)syscall(SYS_landlock_create_ruleset, NULL, 0, SF_LANDLOCK_CREATE_RULESET_VERSION);
}

int sf_landlock_create_ruleset(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped, int abi) {
    struct sf_landlock_ruleset_attr attr = { handled_fs, handled_net, scoped };
    size_t size = abi >= 6 ? sizeof attr
                : abi >= 4 ? offsetof(struct sf_landlock_ruleset_attr, scoped)
                           : offsetof(struct sf_landlock_ruleset_attr, handled_access_net);
    return (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
}

int sf_landlock_add_path(int ruleset_fd, int path_fd, uint64_t access) {
    struct sf_landlock_path_beneath_attr attr = { access, path_fd };
    return (int)syscall(SYS_landlock_add_rule, ruleset_fd, SF_LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
}

int sf_open_path(const char *path) {
    return open(path, O_PATH | O_CLOEXEC);
}

int sf_child_landlock_restrict(int ruleset_fd) {
    return (int)syscall(SYS_landlock_restrict_self, ruleset_fd, 0);
}

/* ---- seccomp ---------------------------------------------------------- */

#if defined(__x86_64__)
#define SF_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SF_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "sf-agent's seccomp filter knows x86_64 and aarch64 only"
#endif

/* The low 32 bits of syscall argument `n` (the kernel reads an ioctl
   request as unsigned int and a socket family as int, so the high bits
   must not matter). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SF_ARG_LOW(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#else
#define SF_ARG_LOW(n) (offsetof(struct seccomp_data, args) + 8 * (n) + 4)
#endif

int sf_child_seccomp_install(int flags) {
    /* What socket(2) of a family other than AF_NETLINK, and socketpair(2)
       of anything but a unix stream or seqpacket pair, answer. */
    uint32_t socket_action = (flags & SF_SECCOMP_REFUSE_SOCKETS) ? SECCOMP_RET_ERRNO | EACCES : SECCOMP_RET_ALLOW;
    struct sock_filter filter[] = {
        /* Another architecture's syscall table (i386 via int 0x80): die. */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SF_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
        /* x32 numbers (bit 30) would reach ioctl and socket under other numbers. */
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
#endif
        /* io_uring makes and connects sockets (IORING_OP_SOCKET, _CONNECT)
           without passing through socket(2) and the other calls this filter
           sees: not there at all, as on a kernel built without it. */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_enter, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_register, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        /* socket(2): netlink (the kernel's own, which getaddrinfo uses)
           always; any other family (unix, inet, inet6, packet, ...) as the
           flags say. */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SF_ARG_LOW(0)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, socket_action),
        /* socketpair(2): a unix stream or seqpacket pair is connected for
           good; a datagram pair can still sendto() or connect() a
           path-bound socket, and another family is another protocol, so
           those go as the flags say (the type's low 4 bits; the rest are
           SOCK_NONBLOCK and SOCK_CLOEXEC). */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socketpair, 0, 8),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SF_ARG_LOW(0)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SF_ARG_LOW(1)),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_SEQPACKET, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, socket_action),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        /* ioctl: TIOCSTI and TIOCLINUX (the request's low 32 bits). */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SF_ARG_LOW(1)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    };
    struct sock_fprog program = {
        .len = (unsigned short)(sizeof filter / sizeof filter[0]),
        .filter = filter,
    };
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0);
}

int sf_probe_seccomp(void) {
    uint32_t action = SECCOMP_RET_ERRNO;
    if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0) return 0;
    return errno;
}
