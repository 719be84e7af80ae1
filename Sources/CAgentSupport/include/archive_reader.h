#ifndef SF_ARCHIVE_READER_H
#define SF_ARCHIVE_READER_H

/* The artifacts reader: a child forked (not exec'd) from the agent that
   drops to the job's user and Landlock ruleset, walks the artifacts
   directory by descriptors (openat2 with RESOLVE_BENEATH |
   RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, one name at a time, never
   following a link) and streams what it finds to the agent as frames over
   a pipe. The agent only writes the archive. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Directories nested deeper than this below the root end the walk with an
   error (SF_READER_STEP_TOO_DEEP). */
#define SF_READER_MAX_DEPTH 256

/* Frame types, in the order a walk may send them. Entries of a directory
   come sorted bytewise by name. */
enum sf_reader_frame_type {
    SF_FRAME_DIRECTORY = 1,  /* a directory; its entries follow, then SF_FRAME_LEAVE
                                (a mount point below the root: no entries) */
    SF_FRAME_LEAVE = 2,      /* the end of the directory last entered */
    SF_FRAME_FILE = 3,       /* a regular file: `size` bytes of data follow the name
                                (none with SF_FRAME_NO_DATA), then SF_FRAME_FILE_END */
    SF_FRAME_FILE_END = 4,   /* error 0; or the file could not be read whole:
                                error is an errno or SF_READER_SHRANK, and `size`
                                says how many bytes of zeros stand in for the rest */
    SF_FRAME_SYMLINK = 5,    /* a symlink; its target follows the name (never followed) */
    SF_FRAME_SKIPPED = 6,    /* left out: `reason` (enum sf_reader_skip) and `error` */
    SF_FRAME_END = 7,        /* the walk is over: error 0, or it failed at
                                `reason` (enum sf_reader_step) with errno `error` */
};

/* SF_FRAME_FILE flag: the agent asked for no more data (over a limit). */
#define SF_FRAME_NO_DATA 1u

/* SF_FRAME_FILE_END error: the file ended before the size fstat gave. */
#define SF_READER_SHRANK (-1)

/* Why an entry was left out. */
enum sf_reader_skip {
    SF_SKIP_SPECIAL = 1,     /* a device, socket or fifo: never opened; `mode` says which */
    SF_SKIP_UNOPENABLE = 2,  /* openat2 failed with `error` (EACCES, ELOOP: it is now
                                a symlink, ENOENT: it vanished, ENOTDIR, ...) */
    SF_SKIP_CHANGED = 3,     /* it is no longer what the listing said (another type) */
    SF_SKIP_UNLISTABLE = 4,  /* a directory that opened but could not be listed */
    SF_SKIP_UNREADABLE_LINK = 5, /* a symlink whose target could not be read */
};

/* Where a walk failed (SF_FRAME_END with a non-zero error). */
enum sf_reader_step {
    SF_READER_STEP_NONE = 0,
    SF_READER_STEP_SIGNALS = 1,      /* resetting signal dispositions and mask */
    SF_READER_STEP_CLOSE_FDS = 2,    /* close_range */
    SF_READER_STEP_SETGROUPS = 3,
    SF_READER_STEP_SETRESGID = 4,
    SF_READER_STEP_SETRESUID = 5,
    SF_READER_STEP_VERIFY_IDS = 6,
    SF_READER_STEP_DUMPABLE = 7,     /* prctl(PR_SET_DUMPABLE, 0) */
    SF_READER_STEP_NO_NEW_PRIVS = 8,
    SF_READER_STEP_LANDLOCK = 9,     /* landlock_restrict_self */
    SF_READER_STEP_MEMORY = 10,      /* mmap / mremap of the listing arena */
    SF_READER_STEP_OPEN_ROOT = 11,   /* opening the artifacts directory itself */
    SF_READER_STEP_OPENAT2 = 12,     /* openat2 is missing (Linux < 5.6) or refused */
    SF_READER_STEP_TOO_DEEP = 13,    /* the entry named is nested deeper than SF_READER_MAX_DEPTH */
    SF_READER_STEP_LIST_ROOT = 14,   /* listing the artifacts directory itself */
};

/* One frame's fixed part; `name_length` bytes of name (one path component,
   or empty) follow it, then `target_length` bytes of symlink target, then a
   file's data. Native byte order: both ends are the same machine. */
struct sf_reader_frame {
    uint32_t type;           /* enum sf_reader_frame_type */
    uint32_t flags;          /* SF_FRAME_NO_DATA */
    uint32_t name_length;
    uint32_t target_length;
    int32_t error;           /* errno, SF_READER_SHRANK, or 0 */
    uint32_t reason;         /* SKIPPED: enum sf_reader_skip; END: enum sf_reader_step */
    uint32_t mode;           /* st_mode as found (type and permissions), when known */
    uint32_t uid;
    uint32_t gid;
    uint32_t reserved;
    int64_t mtime_sec;
    int64_t mtime_nsec;
    uint64_t size;           /* FILE: data bytes; FILE_END: bytes padded */
};

/* What to read and as whom. Every pointer is owned by the caller and must
   stay valid during sf_reader_start; the child works on its copy. */
struct sf_reader_request {
    const char *root;            /* the artifacts directory (its last component is never followed) */
    int set_user;                /* non-zero: switch to uid/gid/groups (needs root) */
    uid_t uid;
    gid_t gid;
    size_t ngroups;
    const gid_t *groups;
    int landlock_ruleset_fd;     /* >= 0: landlock_restrict_self(fd) before reading */
    size_t nexcluded;            /* (device, inode) pairs never sent: the archive */
    const uint64_t *excluded;    /* and manifest being written inside the root */
    int follow_links_for_testing; /* TESTS ONLY: plain openat without O_NOFOLLOW or
                                     RESOLVE_* flags, to show the other defence alone */
};

/* A started reader. The agent owns all three: read `fd` until
   SF_FRAME_END, waitpid(`pid`) only, sf_reader_release(`control`). */
struct sf_reader_process {
    pid_t pid;
    int fd;          /* the pipe's read end, close-on-exec */
    void *control;   /* one shared page: see sf_reader_withhold_data */
};

/* Forks the reader (a raw clone, no exec; the child runs async-signal-safe
   code only) with a 1 MiB pipe. Returns 0 with *out set, or -1 with errno. */
int sf_reader_start(const struct sf_reader_request *req, struct sf_reader_process *out);

/* From now on the reader sends files without their data (SF_FRAME_NO_DATA):
   the agent is over a limit and only counts. */
void sf_reader_withhold_data(void *control);

/* Unmaps the shared page. */
void sf_reader_release(void *control);

#endif
