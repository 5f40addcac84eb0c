/// Who a process is: its pid *and* its start time. A pid that is reused by a new process is a
/// different identity, so it is a delete plus a create, never "the same process" (Beyla keys
/// on the pid alone and carries the old match over to the newcomer).
public struct ProcessIdentity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var pid: Int32
    /// Clock ticks since boot, field 22 of /proc/PID/stat.
    public var startTime: UInt64

    public init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    public static func < (a: Self, b: Self) -> Bool { (a.pid, a.startTime) < (b.pid, b.startTime) }
    public var description: String { "\(pid)@\(startTime)" }
}
