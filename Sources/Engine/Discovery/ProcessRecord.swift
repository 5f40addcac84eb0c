/// One process as a scan saw it.
public struct ProcessRecord: Sendable, Hashable {
    public var identity: ProcessIdentity
    public var ppid: Int32
    /// `comm` as text; bytes that are not UTF-8 become U+FFFD.
    public var comm: String
    /// The bytes of `comm` when they are not valid UTF-8 (see `KernelText`); nil otherwise.
    public var commBytes: [UInt8]?
    /// `/proc/PID/exe`; nil when it could not be read (permission, or a kernel thread).
    public var exe: String?
    /// The bytes of `exe` when they are not valid UTF-8; nil otherwise.
    public var exeBytes: [UInt8]?
    public var uid: UInt32
    public var user: String
    /// The network namespace inode, when readable.
    public var netns: UInt64?
    /// Listening sockets; nil when they are unknown because /proc denied access. Never "none"
    /// for a process we could not look into.
    public var ports: [HeldSocket]?
    /// False while `/proc/PID/exe` is empty or missing (mid-exec, zombie): such a process is
    /// retried on the next scan instead of being reported half-made.
    public var isReady: Bool

    public var pid: Int32 { identity.pid }

    public init(
        identity: ProcessIdentity, ppid: Int32, comm: String, exe: String?, uid: UInt32,
        user: String, netns: UInt64?, ports: [HeldSocket]?, isReady: Bool, commBytes: [UInt8]? = nil, exeBytes: [UInt8]? = nil
    ) {
        self.identity = identity
        self.ppid = ppid
        self.comm = comm
        self.commBytes = commBytes
        self.exe = exe
        self.exeBytes = exeBytes
        self.uid = uid
        self.user = user
        self.netns = netns
        self.ports = ports
        self.isReady = isReady
    }

    /// The distinct listening sockets, for comparing scans (fd numbers may change harmlessly).
    public var socketSet: Set<ListeningSocket>? { ports.map { Set($0.map(\.socket)) } }
}
