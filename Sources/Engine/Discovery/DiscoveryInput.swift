/// What the discovery core is fed. Everything it knows comes through one of these.
public enum DiscoveryInput {
    /// Every listener the system has, and where to read the port-less processes the criteria
    /// may pick (nil: judge the listeners alone).
    case fullScan(Snapshot, portless: (any PortlessSource)?)
    /// A kernel batch's rescan: the plan the core made for it (`DiscoveryCore.plan`) and what
    /// reading the pids it named found.
    case rescan(RescanPlan, records: [ProcessRecord], learned: [ListeningSocket])
    /// New criteria: every known process is judged again.
    case criteria(Criteria)
    /// Time passed: pending matches whose `min_process_age` is reached are judged again.
    case tick
}

/// Where a full scan's port-less processes come from: /proc or the BPF task iterator in the
/// engine and `list`, a recording in tests.
public protocol PortlessSource: Sendable {
    /// Every process's parent pid.
    func parents() -> [Int32: Int32]
    /// Records of the given port-less processes that `keep` accepts; read in parallel where it
    /// pays, since each is a few /proc files.
    func portlessRecords(_ pids: [Int32], keep: @escaping @Sendable (ProcessRecord) -> Bool) -> [ProcessRecord]
    /// The record of one port-less process, when it can be read.
    func portlessRecord(pid: Int32) -> ProcessRecord?
}

/// A kernel batch turned into the reads it needs: the pids to rescan, and everything the core
/// decided while reading the batch, handed back with the rescan's result.
public struct RescanPlan: Sendable {
    /// The batch, in order, each marked relevant when it concerns a process that holds listeners,
    /// with its wall-clock time: converted once, so that what it caused (`causes`) carries the
    /// very same time, where a second conversion could differ in the last microsecond.
    public var events: [(event: KernelEvent, relevant: Bool, time: UInt64)] = []
    /// Pids to read again (none of them exited in the batch).
    public var pids: [Int32] = []
    /// Pids to keep even if they hold nothing: children of matched processes, execs a selector
    /// without `open_ports` may pick.
    public var keepPortless: Set<Int32> = []
    /// Sockets the events announced that the listening map does not hold yet.
    public var hints: [Int32: [SocketHint]] = [:]
    /// Pids whose known records the rescan replaces: read, or exited.
    public var scope: Set<Int32> = []
    /// Wall-clock nanoseconds of the latest kernel event about each pid: the time of what it caused.
    public var causes: [Int32: UInt64] = [:]

    /// Nothing to read: the batch only had events about processes nobody watches.
    public var needsNoRead: Bool { scope.isEmpty }
}
