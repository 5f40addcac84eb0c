/// The engine's I/O behind small protocols: the discovery core decides, these read.

/// Processes and their sockets: /proc, netlink and the BPF iterator (`Scanner`).
public protocol ProcessSource: PortlessSource {
    func fullScan() -> Snapshot
    /// Reads `pids` again; `hints` name sockets an event announced that `listening` may not
    /// hold yet, and those found come back as `learned`.
    func rescan(
        pids: [Int32], listening: [UInt64: ListeningSocket], keepPortless: Set<Int32>, hints: [Int32: [SocketHint]]
    ) -> (records: [ProcessRecord], learned: [ListeningSocket])
}

extension Scanner: ProcessSource {}

/// Kernel events: the eBPF watcher's ring buffer.
public protocol KernelEventSource: AnyObject, Sendable {
    /// Readable when events wait.
    var readinessFD: Int32 { get }
    /// Takes every event waiting now, without blocking.
    func drain() -> [KernelEvent]
    /// Events the kernel could not deliver since the start (ring buffer full).
    func lostEvents() -> UInt64
}

extension KernelWatcher: KernelEventSource {}
