/// An immutable picture of every process that holds a listening socket (or whose sockets are
/// unknown to us), sorted by pid.
public struct Snapshot: Sendable {
    public var processes: [ProcessRecord]
    public var report: ScanReport
    /// Every listening socket the scan saw, by inode (owned or not): what targeted rescans
    /// join a process's descriptors against until the next full scan.
    public var listening: [UInt64: ListeningSocket]
    /// Cgroup and environment of the holders, when the scan was asked to read them alongside
    /// the kernel walk; a process missing here is read by whoever needs it.
    public var surroundings: [Int32: ProcessSurroundings] = [:]

    public init(processes: [ProcessRecord], report: ScanReport, listening: [UInt64: ListeningSocket] = [:]) {
        self.processes = processes.sorted { $0.identity < $1.identity }
        self.report = report
        self.listening = listening
    }
}

/// What a scan could not see, and how it read what it saw: for the one stderr line of `list`
/// and the monitor's header.
public struct ScanReport: Sendable, Equatable {
    /// Pids whose descriptors /proc refused to show.
    public var deniedPIDs: [Int32] = []
    /// Kernel threads /proc refused to show the descriptors of: left out, as they hold no sockets.
    public var deniedKernelThreads = 0
    /// Listening sockets that no readable process holds (kernel-owned, or held by a denied process).
    public var unownedSockets = 0
    /// Network namespaces holding at least one listening socket.
    public var namespaces = 0
    /// Namespaces read through /proc/net instead of netlink, with the reason.
    public var fallbacks: [String] = []
    /// Why the BPF iterator could not scan, when /proc stood in for it.
    public var iteratorFailure: String?
    public var durationNanos: UInt64 = 0
    public var source = "proc"

    public init() {}
}
