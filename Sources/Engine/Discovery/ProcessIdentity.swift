/// Who a process is: its pid *and* its start time. A pid that is reused by a new process is a
/// different identity, so it is a delete plus a create, never "the same process" (Beyla keys
/// on the pid alone and carries the old match over to the newcomer).
public struct ProcessIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var pid: Int32
    /// Which agent of a merged remote view the process runs under (`EngineState.nodes`); 0 for
    /// this machine's engine. Two nodes' pid 1 are two processes. (Here, beside the pid, it
    /// takes the padding before the start time: the identity stays 16 bytes.)
    public var node: UInt16
    /// Clock ticks since boot, field 22 of /proc/PID/stat.
    public var startTime: UInt64

    public init(pid: Int32, startTime: UInt64, node: UInt16 = 0) {
        self.pid = pid
        self.node = node
        self.startTime = startTime
    }

    public static func < (a: Self, b: Self) -> Bool { (a.pid, a.startTime, a.node) < (b.pid, b.startTime, b.node) }
    public var description: String { "\(pid)@\(startTime)" }
}
