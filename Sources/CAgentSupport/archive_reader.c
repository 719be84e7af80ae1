#define _GNU_SOURCE
#include "archive_reader.h"
#include "sandbox_internal.h"
#include "spawn_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The reader runs in a child made by a raw clone of a multithreaded agent:
   from the clone on, only raw system calls and async-signal-safe libc
   functions that keep no state (memcpy, memcmp, memset); no malloc, no
   stdio, nothing that uses glibc's cached thread id. */

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

enum {
    SF_BATCH_SIZE = 256 * 1024,      /* frames and small files are written in batches */
    SF_DENTS_SIZE = 64 * 1024,       /* one getdents64 call */
    SF_SMALL_FILE = 64 * 1024,       /* larger files are spliced, not copied */
    SF_SPLICE_CHUNK = 1024 * 1024,
    SF_LINK_SIZE = 4096,             /* PATH_MAX: a longer target is refused */
    SF_NAME_SIZE = 256,              /* NAME_MAX + 1 */
};
_Static_assert(sizeof(struct sf_reader_frame) == 64, "the frame header is 64 bytes on the wire");

#define SF_ARENA_INITIAL ((size_t)4 << 20)
#define SF_ARENA_MAXIMUM ((size_t)2 << 30)

struct sf_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* One directory being walked: its descriptor and its sorted listing in the
   arena (records from `mark`, then `count` record offsets at `index`). */
struct sf_level {
    int fd;
    uint32_t count;
    uint32_t next;
    size_t mark;
    size_t index;
};

struct sf_reader {
    int out;
    const struct sf_reader_request *req;
    volatile uint32_t *control;
    uid_t uid;                      /* the reader's own uid after the switch */
    dev_t root_dev;
    uint64_t resolve;               /* RESOLVE_* for every openat2 */
    uint64_t nofollow;              /* O_NOFOLLOW (0 only in the test-only mode) */
    unsigned char *batch;
    size_t batch_used;
    unsigned char *dents;
    char *link;                     /* a symlink's target */
    char name[SF_NAME_SIZE];        /* the entry being visited (the arena may move) */
    unsigned char *arena;
    size_t arena_size;
    size_t arena_used;
    struct sf_level levels[SF_READER_MAX_DEPTH + 1];
};

/* ---- output ----------------------------------------------------------- */

static int write_all(int fd, const void *data, size_t length) {
    const unsigned char *bytes = data;
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

/* A failure before the batch buffer exists: one frame, written directly. */
__attribute__((noreturn)) static void fail_early(int out, uint32_t step, int error) {
    struct sf_reader_frame frame = { 0 };
    frame.type = SF_FRAME_END;
    frame.reason = step;
    frame.error = error != 0 ? error : EIO;
    (void)write_all(out, &frame, sizeof frame);
    _exit(1);
}

static void flush(struct sf_reader *r) {
    if (r->batch_used == 0) return;
    /* Nobody left to read: the agent died or gave up (it kills us anyway). */
    if (write_all(r->out, r->batch, r->batch_used) != 0) _exit(1);
    r->batch_used = 0;
}

/* Appends a frame with its name and target to the batch. */
static void emit(struct sf_reader *r, struct sf_reader_frame *frame, const char *name, size_t name_length,
                 const char *target, size_t target_length) {
    frame->name_length = (uint32_t)name_length;
    frame->target_length = (uint32_t)target_length;
    size_t need = sizeof *frame + name_length + target_length;
    if (SF_BATCH_SIZE - r->batch_used < need) flush(r);
    unsigned char *at = r->batch + r->batch_used;
    memcpy(at, frame, sizeof *frame);
    if (name_length > 0) memcpy(at + sizeof *frame, name, name_length);
    if (target_length > 0) memcpy(at + sizeof *frame + name_length, target, target_length);
    r->batch_used += need;
}

__attribute__((noreturn)) static void finish(struct sf_reader *r, uint32_t step, int error, const char *name,
                                             size_t name_length) {
    struct sf_reader_frame frame = { 0 };
    frame.type = SF_FRAME_END;
    frame.reason = step;
    frame.error = error;
    emit(r, &frame, name, name_length, NULL, 0);
    flush(r);
    _exit(error == 0 ? 0 : 1);
}

static void describe(struct sf_reader_frame *frame, const struct stat *info) {
    frame->mode = info->st_mode;
    frame->uid = info->st_uid;
    frame->gid = info->st_gid;
    frame->mtime_sec = info->st_mtim.tv_sec;
    frame->mtime_nsec = info->st_mtim.tv_nsec;
}

static void skip(struct sf_reader *r, const char *name, size_t length, uint32_t reason, int error, mode_t mode) {
    struct sf_reader_frame frame = { 0 };
    frame.type = SF_FRAME_SKIPPED;
    frame.reason = reason;
    frame.error = error;
    frame.mode = mode;
    emit(r, &frame, name, length, NULL, 0);
}

static void end_file(struct sf_reader *r, int error, uint64_t padded) {
    struct sf_reader_frame frame = { 0 };
    frame.type = SF_FRAME_FILE_END;
    frame.error = error;
    frame.size = padded;
    emit(r, &frame, NULL, 0, NULL, 0);
}

/* ---- opening ---------------------------------------------------------- */

/* openat2 from `dirfd` with the reader's RESOLVE_* flags. `name` is one
   component, never ".", ".." or a path. */
static int open_beneath(const struct sf_reader *r, int dirfd, const char *name, uint64_t flags) {
    struct open_how how = { .flags = flags, .mode = 0, .resolve = r->resolve };
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof how);
        if (fd >= 0 || (errno != EINTR && errno != EAGAIN)) return fd;
    }
    return -1;
}

/* chmod through a descriptor (O_PATH included): fchmodat2 with
   AT_EMPTY_PATH (Linux 6.6), else /proc/self/fd/N. */
static int chmod_descriptor(int fd, mode_t mode) {
    if (syscall(SYS_fchmodat2, fd, "", mode, AT_EMPTY_PATH) == 0) return 0;
    if (errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) return -1;
    char path[32] = "/proc/self/fd/";
    size_t length = 14;
    char digits[12];
    int count = 0;
    unsigned int value = (unsigned int)fd;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0) path[length++] = digits[--count];
    path[length] = '\0';
    return (int)syscall(SYS_fchmodat, AT_FDCWD, path, mode);
}

/* The job may leave entries of its own without owner read (mode 000); the
   reader, running as that owner without CAP_DAC_OVERRIDE, gives itself the
   `wanted` owner bits (through an O_PATH descriptor, which needs no
   permission on the entry). Returns 1 when it changed the mode, with the
   mode as found in *found. */
static int grant_owner(const struct sf_reader *r, int dirfd, const char *name, mode_t wanted, mode_t *found) {
    if (r->uid == 0) return 0;
    int fd = open_beneath(r, dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat info;
    int changed = 0;
    if (fstat(fd, &info) == 0 && info.st_uid == r->uid && (S_ISDIR(info.st_mode) || S_ISREG(info.st_mode)) &&
        (info.st_mode & wanted) != wanted && chmod_descriptor(fd, (info.st_mode & 07777) | wanted) == 0) {
        *found = info.st_mode;
        changed = 1;
    }
    (void)close(fd);
    return changed;
}

/* Opens `name` with `flags`; on EACCES grants the owner `wanted` and tries
   once more. */
static int open_entry(const struct sf_reader *r, int dirfd, const char *name, uint64_t flags, mode_t wanted,
                      mode_t *found, int *granted) {
    int fd = open_beneath(r, dirfd, name, flags);
    if (fd >= 0 || errno != EACCES) return fd;
    if (!grant_owner(r, dirfd, name, wanted, found)) {
        errno = EACCES;
        return -1;
    }
    *granted = 1;
    return open_beneath(r, dirfd, name, flags);
}

static int is_excluded(const struct sf_reader *r, const struct stat *info) {
    for (size_t i = 0; i < r->req->nexcluded; i++) {
        if ((uint64_t)info->st_dev == r->req->excluded[2 * i] && (uint64_t)info->st_ino == r->req->excluded[2 * i + 1])
            return 1;
    }
    return 0;
}

/* ---- listing ---------------------------------------------------------- */

/* Records: 2 bytes of name length, the d_type, a pad byte, the name and its
   NUL, rounded up to 4 bytes. */
static size_t record_size(size_t name_length) {
    return (4 + name_length + 1 + 3) & ~(size_t)3;
}

static size_t record_length(const unsigned char *record) {
    return (size_t)record[0] | (size_t)record[1] << 8;
}

static int reserve(struct sf_reader *r, size_t need) {
    if (r->arena_size - r->arena_used >= need) return 0;
    size_t size = r->arena_size;
    while (size - r->arena_used < need) {
        if (size >= SF_ARENA_MAXIMUM) return -1;
        size *= 2;
    }
    void *moved = (void *)syscall(SYS_mremap, r->arena, r->arena_size, size, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED) return -1;
    r->arena = moved;
    r->arena_size = size;
    return 0;
}

static int compare_records(const unsigned char *arena, uint32_t a, uint32_t b) {
    size_t left = record_length(arena + a), right = record_length(arena + b);
    int order = memcmp(arena + a + 4, arena + b + 4, left < right ? left : right);
    if (order != 0) return order;
    return left < right ? -1 : left > right;
}

static void sift_down(const unsigned char *arena, uint32_t *index, size_t root, size_t count) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count) return;
        if (child + 1 < count && compare_records(arena, index[child], index[child + 1]) < 0) child++;
        if (compare_records(arena, index[root], index[child]) >= 0) return;
        uint32_t swap = index[root];
        index[root] = index[child];
        index[child] = swap;
        root = child;
    }
}

/* Heapsort: bytewise by name, no recursion, no allocation. */
static void sort_records(const unsigned char *arena, uint32_t *index, size_t count) {
    if (count < 2) return;
    for (size_t start = count / 2; start-- > 0;) sift_down(arena, index, start, count);
    for (size_t end = count - 1; end > 0; end--) {
        uint32_t swap = index[0];
        index[0] = index[end];
        index[end] = swap;
        sift_down(arena, index, 0, end);
    }
}

/* Lists `fd` into the arena, sorted. 0, or an errno (ENOMEM: arena full). */
static int list_directory(struct sf_reader *r, int fd, size_t *index_out, uint32_t *count_out) {
    size_t start = r->arena_used;
    uint32_t count = 0;
    for (;;) {
        long got = syscall(SYS_getdents64, fd, r->dents, SF_DENTS_SIZE);
        if (got < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (got == 0) break;
        for (long at = 0; at < got;) {
            const struct sf_dirent64 *entry = (const struct sf_dirent64 *)(r->dents + at);
            at += entry->d_reclen;
            size_t room = entry->d_reclen - offsetof(struct sf_dirent64, d_name);
            size_t length = strnlen(entry->d_name, room);
            if (length == 0 || length >= SF_NAME_SIZE) continue;
            if (entry->d_name[0] == '.' && (length == 1 || (length == 2 && entry->d_name[1] == '.'))) continue;
            size_t need = record_size(length);
            if (reserve(r, need) != 0) return ENOMEM;
            unsigned char *record = r->arena + r->arena_used;
            record[0] = (unsigned char)(length & 0xff);
            record[1] = (unsigned char)(length >> 8);
            record[2] = entry->d_type;
            record[3] = 0;
            memcpy(record + 4, entry->d_name, length);
            record[4 + length] = 0;
            r->arena_used += need;
            count++;
        }
    }
    if (reserve(r, (size_t)count * sizeof(uint32_t)) != 0) return ENOMEM;
    uint32_t *index = (uint32_t *)(r->arena + r->arena_used);
    size_t at = start;
    for (uint32_t i = 0; i < count; i++) {
        index[i] = (uint32_t)at;
        at += record_size(record_length(r->arena + at));
    }
    *index_out = r->arena_used;
    *count_out = count;
    r->arena_used += (size_t)count * sizeof(uint32_t);
    sort_records(r->arena, index, count);
    return 0;
}

/* ---- entries ---------------------------------------------------------- */

static void send_symlink(struct sf_reader *r, int fd, const char *name, size_t length, const struct stat *info) {
    ssize_t target = readlinkat(fd, "", r->link, SF_LINK_SIZE);
    if (target < 0 || target >= SF_LINK_SIZE) {
        skip(r, name, length, SF_SKIP_UNREADABLE_LINK, target < 0 ? errno : ENAMETOOLONG, info->st_mode);
        return;
    }
    struct sf_reader_frame frame = { 0 };
    frame.type = SF_FRAME_SYMLINK;
    describe(&frame, info);
    emit(r, &frame, name, length, r->link, (size_t)target);
}

/* Streams `left` bytes of a large file: spliced into the pipe (no copy
   through user space), read and written where the file system cannot
   splice. Returns 0, an errno or SF_READER_SHRANK; *missing is what is left. */
static int stream_large(struct sf_reader *r, int fd, uint64_t left, uint64_t *missing) {
    /* The descriptor was opened O_NONBLOCK (a fifo swapped in must not hang
       the open); splice would apply that to the pipe as well. */
    (void)fcntl(fd, F_SETFL, 0);
    int can_splice = 1;
    int error = 0;
    while (left > 0) {
        size_t chunk = left > SF_SPLICE_CHUNK ? SF_SPLICE_CHUNK : (size_t)left;
        ssize_t moved;
        if (can_splice) {
            moved = (ssize_t)syscall(SYS_splice, fd, NULL, r->out, NULL, chunk, SPLICE_F_MORE);
            if (moved < 0 && (errno == EINVAL || errno == ENOSYS)) {
                can_splice = 0;
                continue;
            }
            if (moved < 0 && errno == EPIPE) _exit(1);
        } else {
            moved = read(fd, r->batch, chunk > SF_BATCH_SIZE ? SF_BATCH_SIZE : chunk);
            if (moved > 0 && write_all(r->out, r->batch, (size_t)moved) != 0) _exit(1);
        }
        if (moved < 0) {
            if (errno == EINTR) continue;
            error = errno;
            break;
        }
        if (moved == 0) {
            error = SF_READER_SHRANK;
            break;
        }
        left -= (uint64_t)moved;
    }
    *missing = left;
    if (left > 0) memset(r->batch, 0, SF_BATCH_SIZE);
    while (left > 0) {
        size_t chunk = left > SF_BATCH_SIZE ? SF_BATCH_SIZE : (size_t)left;
        if (write_all(r->out, r->batch, chunk) != 0) _exit(1);
        left -= chunk;
    }
    return error;
}

/* A regular file: its frame, exactly `size` bytes (zeros for what could not
   be read), then its end frame. */
static void send_file(struct sf_reader *r, int fd, const char *name, size_t length, const struct stat *info) {
    struct sf_reader_frame frame = { 0 };
    frame.type = SF_FRAME_FILE;
    describe(&frame, info);
    uint64_t size = info->st_size > 0 ? (uint64_t)info->st_size : 0;
    frame.size = size;
    if (__atomic_load_n(r->control, __ATOMIC_RELAXED) != 0) {
        frame.flags = SF_FRAME_NO_DATA;
        emit(r, &frame, name, length, NULL, 0);
        end_file(r, 0, 0);
        return;
    }
    if (size > SF_SMALL_FILE) {
        emit(r, &frame, name, length, NULL, 0);
        flush(r);
        uint64_t missing = 0;
        int error = stream_large(r, fd, size, &missing);
        end_file(r, error, missing);
        return;
    }
    /* Small: frame, data and end frame go out in the batch. */
    if (SF_BATCH_SIZE - r->batch_used < 2 * sizeof frame + length + size) flush(r);
    emit(r, &frame, name, length, NULL, 0);
    unsigned char *data = r->batch + r->batch_used;
    uint64_t got = 0;
    int error = 0;
    while (got < size) {
        ssize_t count = read(fd, data + got, (size_t)(size - got));
        if (count < 0) {
            if (errno == EINTR) continue;
            error = errno;
            break;
        }
        if (count == 0) {
            error = SF_READER_SHRANK;
            break;
        }
        got += (uint64_t)count;
    }
    if (got < size) memset(data + got, 0, (size_t)(size - got));
    r->batch_used += (size_t)size;
    end_file(r, error, size - got);
}

/* A directory to enter (it takes `fd`): stored but not entered when it is
   a mount point; listed, announced and pushed otherwise. */
static void enter_directory(struct sf_reader *r, uint32_t *depth, int fd, const char *name, size_t length,
                            const struct stat *info) {
    struct sf_reader_frame frame = { 0 };
    frame.type = SF_FRAME_DIRECTORY;
    describe(&frame, info);
    if (info->st_dev != r->root_dev) {
        (void)close(fd);
        emit(r, &frame, name, length, NULL, 0);
        struct sf_reader_frame leave = { 0 };
        leave.type = SF_FRAME_LEAVE;
        emit(r, &leave, NULL, 0, NULL, 0);
        return;
    }
    if (*depth + 1 > SF_READER_MAX_DEPTH) finish(r, SF_READER_STEP_TOO_DEEP, ELOOP, name, length);
    /* Our own directory without owner read and search: the listing or the
       lookups below it would fail. */
    if (r->uid != 0 && info->st_uid == r->uid && (info->st_mode & 0500) != 0500)
        (void)fchmod(fd, (info->st_mode & 07777) | 0500);
    size_t mark = r->arena_used;
    size_t index = 0;
    uint32_t count = 0;
    int error = list_directory(r, fd, &index, &count);
    if (error != 0) {
        r->arena_used = mark;
        (void)close(fd);
        if (error == ENOMEM) finish(r, SF_READER_STEP_MEMORY, ENOMEM, name, length);
        skip(r, name, length, SF_SKIP_UNLISTABLE, error, info->st_mode);
        return;
    }
    emit(r, &frame, name, length, NULL, 0);
    *depth += 1;
    r->levels[*depth] = (struct sf_level){ .fd = fd, .count = count, .next = 0, .mark = mark, .index = index };
}

/* One listed entry of the directory at `depth`. `d_type` picks how to open
   it; what the opened descriptor's fstat says decides what it is. */
static void visit(struct sf_reader *r, uint32_t *depth, const char *name, size_t length, unsigned char d_type) {
    int parent = r->levels[*depth].fd;
    const uint64_t directory_flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | r->nofollow;
    const uint64_t file_flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | r->nofollow;
    mode_t found = 0;
    int granted = 0;
    int fd;
    if (d_type == DT_DIR) {
        fd = open_entry(r, parent, name, directory_flags, 0500, &found, &granted);
    } else if (d_type == DT_REG) {
        fd = open_entry(r, parent, name, file_flags, 0400, &found, &granted);
    } else {
        /* A symlink, a special file, or a file system without d_type: a
           descriptor that opens nothing, to look first. */
        fd = open_beneath(r, parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
        skip(r, name, length, SF_SKIP_UNOPENABLE, errno, 0);
        return;
    }
    struct stat info;
    if (fstat(fd, &info) != 0) {
        int error = errno;
        (void)close(fd);
        skip(r, name, length, SF_SKIP_UNOPENABLE, error, 0);
        return;
    }
    if (is_excluded(r, &info)) {
        (void)close(fd);
        return;
    }
    if (d_type != DT_DIR && d_type != DT_REG) {
        if (S_ISLNK(info.st_mode)) {
            send_symlink(r, fd, name, length, &info);
            (void)close(fd);
            return;
        }
        if (!S_ISDIR(info.st_mode) && !S_ISREG(info.st_mode)) {
            (void)close(fd);
            skip(r, name, length, SF_SKIP_SPECIAL, 0, info.st_mode);
            return;
        }
        /* Open it for its contents, and make sure it is still the same. */
        int is_directory = S_ISDIR(info.st_mode);
        int opened = open_entry(r, parent, name, is_directory ? directory_flags : file_flags, is_directory ? 0500 : 0400,
                                &found, &granted);
        int error = errno;
        (void)close(fd);
        if (opened < 0) {
            skip(r, name, length, SF_SKIP_UNOPENABLE, error, info.st_mode);
            return;
        }
        struct stat again;
        if (fstat(opened, &again) != 0 || again.st_dev != info.st_dev || again.st_ino != info.st_ino) {
            (void)close(opened);
            skip(r, name, length, SF_SKIP_CHANGED, 0, info.st_mode);
            return;
        }
        fd = opened;
        info = again;
    }
    /* The archive keeps the mode the job left, not the one granted to read it. */
    if (granted) info.st_mode = found;
    if (S_ISREG(info.st_mode)) {
        send_file(r, fd, name, length, &info);
        (void)close(fd);
    } else if (S_ISDIR(info.st_mode)) {
        enter_directory(r, depth, fd, name, length, &info);
    } else {
        /* Listed as a file, opened as a fifo or socket (O_NONBLOCK kept the
           open from waiting): a special file now, never read. */
        (void)close(fd);
        skip(r, name, length, SF_SKIP_SPECIAL, 0, info.st_mode);
    }
}

/* ---- the walk --------------------------------------------------------- */

static int open_root(const struct sf_reader *r) {
    const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    int fd = open(r->req->root, flags);
    if (fd >= 0 || errno != EACCES || r->uid == 0) return fd;
    int handle = open(r->req->root, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (handle < 0) {
        errno = EACCES;
        return -1;
    }
    struct stat info;
    int changed = fstat(handle, &info) == 0 && S_ISDIR(info.st_mode) && info.st_uid == r->uid &&
                  chmod_descriptor(handle, (info.st_mode & 07777) | 0500) == 0;
    (void)close(handle);
    if (!changed) {
        errno = EACCES;
        return -1;
    }
    return open(r->req->root, flags);
}

__attribute__((noreturn)) static void walk(struct sf_reader *r) {
    int root = open_root(r);
    if (root < 0) finish(r, SF_READER_STEP_OPEN_ROOT, errno, NULL, 0);
    /* openat2 (Linux 5.6) or nothing: refuse rather than walk by path. */
    int probe = open_beneath(r, root, ".", O_PATH | O_CLOEXEC);
    if (probe < 0) finish(r, SF_READER_STEP_OPENAT2, errno, NULL, 0);
    (void)close(probe);
    struct stat info;
    if (fstat(root, &info) != 0) finish(r, SF_READER_STEP_OPEN_ROOT, errno, NULL, 0);
    r->root_dev = info.st_dev;
    if (r->uid != 0 && info.st_uid == r->uid && (info.st_mode & 0500) != 0500)
        (void)fchmod(root, (info.st_mode & 07777) | 0500);
    size_t index = 0;
    uint32_t count = 0;
    int error = list_directory(r, root, &index, &count);
    if (error != 0) finish(r, error == ENOMEM ? SF_READER_STEP_MEMORY : SF_READER_STEP_LIST_ROOT, error, NULL, 0);
    r->levels[0] = (struct sf_level){ .fd = root, .count = count, .next = 0, .mark = 0, .index = index };

    uint32_t depth = 0;
    for (;;) {
        struct sf_level *level = &r->levels[depth];
        if (level->next == level->count) {
            (void)close(level->fd);
            r->arena_used = level->mark;
            if (depth == 0) break;
            struct sf_reader_frame leave = { 0 };
            leave.type = SF_FRAME_LEAVE;
            emit(r, &leave, NULL, 0, NULL, 0);
            depth--;
            continue;
        }
        const uint32_t *records = (const uint32_t *)(r->arena + level->index);
        const unsigned char *record = r->arena + records[level->next++];
        size_t length = record_length(record);
        memcpy(r->name, record + 4, length + 1);
        visit(r, &depth, r->name, length, record[2]);
    }
    finish(r, SF_READER_STEP_NONE, 0, NULL, 0);
}

/* ---- the child ---------------------------------------------------------- */

/* Closes every descriptor but `keep` and `also` (-1: none). */
static int close_all_but(int keep, int also) {
    int low = keep, high = also;
    if (high >= 0 && high < low) {
        low = also;
        high = keep;
    }
    unsigned int ranges[3][2];
    int count = 0;
    if (low > 0) {
        ranges[count][0] = 0;
        ranges[count++][1] = (unsigned int)low - 1;
    }
    if (high >= 0 && high > low + 1) {
        ranges[count][0] = (unsigned int)low + 1;
        ranges[count++][1] = (unsigned int)high - 1;
    }
    int last = high >= 0 ? high : low;
    ranges[count][0] = (unsigned int)last + 1;
    ranges[count++][1] = ~0U;
    for (int i = 0; i < count; i++) {
        if (syscall(SYS_close_range, ranges[i][0], ranges[i][1], 0) == 0) continue;
        if (errno != ENOSYS) return -1;
        struct rlimit limit;
        if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
        unsigned int top = limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > 65536 ? 65536 : (unsigned int)limit.rlim_cur;
        for (unsigned int fd = ranges[i][0]; fd < top && fd <= ranges[i][1]; fd++) (void)close((int)fd);
    }
    return 0;
}

static int die_with(pid_t parent) {
    return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0 && getppid() == parent;
}

__attribute__((noreturn)) static void reader_main(const struct sf_reader_request *req, int out,
                                                  volatile uint32_t *control, pid_t parent) {
    /* 1. Default dispositions (terminal and termination signals ignored),
       then unblock (the parent blocked every signal around the clone, so no
       handler of the agent ran here). */
    if (sf_default_dispositions() != 0) fail_early(out, SF_READER_STEP_SIGNALS, errno);
    /* A signal to the agent's process group (Ctrl-C at a terminal) is the
       agent's to handle: it must not cut the archive short. The reader ends
       with the agent (PDEATHSIG) or by the agent's SIGKILL. */
    struct sigaction ignore = { 0 };
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    static const int ignored[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
        if (sigaction(ignored[i], &ignore, NULL) != 0) fail_early(out, SF_READER_STEP_SIGNALS, errno);
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0) fail_early(out, SF_READER_STEP_SIGNALS, errno);

    /* 2. Nothing of the agent's but the pipe (and the ruleset, until used). */
    if (close_all_but(out, req->landlock_ruleset_fd) != 0) fail_early(out, SF_READER_STEP_CLOSE_FDS, errno);

    /* 3. Die with the agent. */
    if (!die_with(parent)) _exit(1);

    /* 4. The job's user: raw syscalls, this thread only (no glibc setxid
       broadcast); verified. The uid change clears the death signal. */
    if (req->set_user) {
        int failed = 0;
        if (sf_switch_user(req->uid, req->gid, req->ngroups, req->groups, &failed) != 0) {
            static const uint32_t steps[] = {
                SF_READER_STEP_SETGROUPS, SF_READER_STEP_SETRESGID, SF_READER_STEP_SETRESUID, SF_READER_STEP_VERIFY_IDS,
            };
            fail_early(out, steps[failed], errno);
        }
        if (!die_with(parent)) _exit(1);
    }

    /* 5. Not dumpable (it holds a copy of the agent's memory: no ptrace or
       /proc/<pid>/mem by the job's uid), no privilege gain, the job's
       Landlock domain. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail_early(out, SF_READER_STEP_DUMPABLE, errno);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail_early(out, SF_READER_STEP_NO_NEW_PRIVS, errno);
    if (req->landlock_ruleset_fd >= 0) {
        if (sf_child_landlock_restrict(req->landlock_ruleset_fd) != 0) fail_early(out, SF_READER_STEP_LANDLOCK, errno);
        (void)close(req->landlock_ruleset_fd);
    }

    /* 6. Memory: the state and buffers, and the listing arena. */
    size_t fixed = sizeof(struct sf_reader) + SF_BATCH_SIZE + SF_DENTS_SIZE + SF_LINK_SIZE;
    unsigned char *memory = mmap(NULL, fixed, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) fail_early(out, SF_READER_STEP_MEMORY, errno);
    unsigned char *arena = mmap(NULL, SF_ARENA_INITIAL, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (arena == MAP_FAILED) fail_early(out, SF_READER_STEP_MEMORY, errno);
    struct sf_reader *r = (struct sf_reader *)memory;
    r->out = out;
    r->req = req;
    r->control = control;
    r->uid = (uid_t)syscall(SYS_geteuid);
    r->resolve = req->follow_links_for_testing ? 0 : RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    r->nofollow = req->follow_links_for_testing ? 0 : O_NOFOLLOW;
    r->batch = memory + sizeof(struct sf_reader);
    r->batch_used = 0;
    r->dents = r->batch + SF_BATCH_SIZE;
    r->link = (char *)(r->dents + SF_DENTS_SIZE);
    r->arena = arena;
    r->arena_size = SF_ARENA_INITIAL;
    r->arena_used = 0;
    walk(r);
}

/* ---- the agent's side ----------------------------------------------------- */

int sf_reader_start(const struct sf_reader_request *req, struct sf_reader_process *out) {
    void *control = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (control == MAP_FAILED) return -1;
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        int saved = errno;
        munmap(control, 4096);
        errno = saved;
        return -1;
    }
    /* Best effort: a non-root agent may be over its pipe budget. */
    (void)fcntl(pipe_fds[1], F_SETPIPE_SZ, 1 << 20);

    /* Every signal blocked across the clone, so that the child cannot run
       one of the agent's handlers before it has reset them. A raw clone:
       no atfork handlers, no locks taken in the other threads' name. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    long pid = syscall(SYS_clone, (unsigned long)SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) reader_main(req, pipe_fds[1], control, parent);
    int clone_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    (void)close(pipe_fds[1]);
    if (pid < 0) {
        (void)close(pipe_fds[0]);
        munmap(control, 4096);
        errno = clone_error;
        return -1;
    }
    out->pid = (pid_t)pid;
    out->fd = pipe_fds[0];
    out->control = control;
    return 0;
}

void sf_reader_withhold_data(void *control) {
    __atomic_store_n((volatile uint32_t *)control, 1u, __ATOMIC_RELAXED);
}

void sf_reader_release(void *control) {
    if (control != NULL) munmap(control, 4096);
}
