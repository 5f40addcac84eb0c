import Glibc

/// Reads what a scan needs about one pid: stat (identity, comm, ppid), owner and exe.
public struct ProcessReader: Sendable {
    public let procRoot: String
    let users: UserNames

    public init(procRoot: String = "/proc", users: UserNames = UserNames()) {
        self.procRoot = procRoot
        self.users = users
    }

    /// What a process is, without its sockets; nil when it vanished while being read.
    public struct Basics: Sendable {
        public var stat: ProcStat
        public var uid: UInt32
        public var user: String
        public var exe: String?
        public var isReady: Bool
    }

    /// Five syscalls: open stat, fstat it (its owner is the process's effective uid, as for the
    /// /proc/PID directory), read it, close it, readlink exe. A scan does this per listener.
    public func basics(of pid: Int32) -> Basics? {
        let fd = open("\(procRoot)/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        let parsed: ProcStat? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            defer { close(fd) }
            guard fstat(fd, &info) == 0 else { return nil }
            let count = read(fd, buffer.baseAddress, buffer.count)
            // procfs renders stat in one go, far below 4 KiB: one read is the whole file.
            guard count > 0 else { return nil }
            return ProcStat.parse(buffer: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
        guard let stat = parsed else { return nil }
        var exe: String?
        var ready = true
        switch SystemFiles.readLink("\(procRoot)/\(pid)/exe") {
        case .value(let target):
            exe = String(decoding: target, as: UTF8.self)
            // Beyla's rule: an empty or "/" exe is a process not set up yet (mid-exec).
            ready = !(target.isEmpty || target == [UInt8(ascii: "/")])
        case .failed(let code):
            // EACCES is a process we may not look into: it is ready, its exe is just unknown.
            // ENOENT is a zombie or a kernel thread: nothing to report yet.
            ready = code == EACCES || code == EPERM
        }
        return Basics(stat: stat, uid: info.st_uid, user: users.name(of: info.st_uid), exe: exe, isReady: ready)
    }
}
