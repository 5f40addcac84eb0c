import Glibc

/// Reads what a scan needs about one pid from /proc: its stat line, owner and executable.
public struct ProcessReader: Sendable {
    public let procRoot: String
    let users: UserNames

    public init(procRoot: String = "/proc", users: UserNames = UserNames()) {
        self.procRoot = procRoot
        self.users = users
    }

    /// Who owns a process and what it runs.
    public struct Owner: Sendable {
        public var uid: UInt32
        public var user: String
        /// nil when /proc denies it (another user's process without root).
        public var exe: String?
        /// The exe link's bytes when they are not valid UTF-8 (see `KernelText`).
        public var exeBytes: [UInt8]?
        /// False while the exe link is empty or missing (mid-exec, zombie).
        public var isReady: Bool
    }

    /// `/proc/PID/stat`, parsed; nil when the process has gone. Three syscalls.
    public func stat(of pid: Int32) -> ProcStat? {
        ProcStat.read("\(procRoot)/\(pid)/stat", relativeTo: AT_FDCWD)
    }

    /// Owner (the /proc/PID directory's uid, as htop shows it) and exe; nil when gone. Two syscalls.
    public func owner(of pid: Int32) -> Owner? {
        owner(of: pid, in: nil)
    }

    /// As `owner(of:)`, through `directory` (the process's /proc/PID, open) when given.
    func owner(of pid: Int32, in directory: ProcDirectory?) -> Owner? {
        var info = Glibc.stat()
        let found = directory.map { fstat($0.fd, &info) } ?? fstatat(AT_FDCWD, "\(procRoot)/\(pid)", &info, 0)
        guard found == 0 else { return nil }
        var exe: String?
        var exeBytes: [UInt8]?
        var ready = true
        switch directory.map({ SystemFiles.readLink("exe", relativeTo: $0.fd) }) ?? SystemFiles.readLink("\(procRoot)/\(pid)/exe") {
        case .value(let target):
            (exe, exeBytes) = KernelText.decode(target)
            // Beyla's rule: an empty or "/" exe is a process not set up yet (mid-exec).
            ready = !(target.isEmpty || target == [UInt8(ascii: "/")])
        case .failed(let code):
            if code == ENOENT || code == ESRCH, access("\(procRoot)/\(pid)", F_OK) != 0 { return nil }
            // EACCES: a process we may not look into; it is ready, its exe just unknown.
            // ENOENT on a live pid: a zombie or kernel thread, nothing to report yet.
            ready = code == EACCES || code == EPERM
        }
        return Owner(uid: info.st_uid, user: users.name(of: info.st_uid), exe: exe, exeBytes: exeBytes, isReady: ready)
    }
}
