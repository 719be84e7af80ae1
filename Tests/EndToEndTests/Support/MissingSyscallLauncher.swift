/// A launcher (put in front of the binary) that installs a seccomp filter
/// answering the system calls `first...last` with ENOSYS, then execs the
/// rest of its argv: what an older kernel, or a container runtime whose
/// seccomp profile predates those calls, looks like.
///
/// ```swift
/// try world.agent(job: job, launcher: MissingSyscallLauncher.make(437...437))   // no openat2
/// ```
enum MissingSyscallLauncher {
    static func make(_ numbers: ClosedRange<Int>) -> [String] {
        [
            "/usr/bin/python3", "-c",
            """
            import ctypes, os, struct, sys
            ins = lambda code, jt, jf, k: struct.pack("HBBI", code, jt, jf, k)
            prog = b"".join([
                ins(0x20, 0, 0, 0),                     # ld nr
                ins(0x35, 0, 2, \(numbers.lowerBound)), # jge first ? next : allow
                ins(0x35, 1, 0, \(numbers.upperBound + 1)), # jge last + 1 ? allow : next
                ins(0x06, 0, 0, 0x00050000 | 38),       # ret ERRNO(ENOSYS)
                ins(0x06, 0, 0, 0x7fff0000),            # ret ALLOW
            ])
            buf = ctypes.create_string_buffer(prog)
            fprog = struct.pack("HxxxxxxQ", len(prog) // 8, ctypes.addressof(buf))
            fbuf = ctypes.create_string_buffer(fprog)
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(22, 2, fbuf, 0, 0) != 0:
                sys.exit("seccomp: errno %d" % ctypes.get_errno())
            os.execv(sys.argv[1], sys.argv[1:])
            """,
        ]
    }
}
