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

    public func basics(of pid: Int32) -> Basics? {
        let dir = open("\(procRoot)/\(pid)", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { return nil }
        defer { close(dir) }
        var info = stat()
        guard fstat(dir, &info) == 0,
              let bytes = SystemFiles.read("stat", relativeTo: dir).value,
              let stat = ProcStat.parse(bytes)
        else { return nil }
        var exe: String?
        var ready = true
        switch SystemFiles.readLink("exe", relativeTo: dir) {
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
