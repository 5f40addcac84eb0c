import Engine

/// What the DISCOVERED column says of a process: when it started matching (or was discovered,
/// while pending). A process that was already running when the monitor started was not
/// discovered then, so it shows when it started instead, marked `~` (`~09:14:02 3h 5m`):
/// the monitor's own start time would say nothing about it.
struct Discovered: Equatable {
    var wallNanos: UInt64
    /// True: the process's start time, for one running before the monitor.
    var isProcessStart: Bool

    static let startedMark = "~"

    static func of(_ record: ProcessRecord, in state: MonitorState) -> Discovered? {
        let started = ProcessClock.startedAt(startTicks: record.identity.startTime, bootWallNanos: state.bootWallNanos)
        if started < state.startedAt { return Discovered(wallNanos: started, isProcessStart: true) }
        let seen = state.engine.matchedAt[record.identity] ?? state.engine.discoveredAt[record.identity]
        return seen.map { Discovered(wallNanos: $0, isProcessStart: false) }
    }

    func text(now: UInt64) -> String {
        "\(isProcessStart ? Self.startedMark : "")\(WallClock.timeOfDay(wallNanos).prefix(8)) \(Age.text(nanos: now &- wallNanos))"
    }
}
