import Engine

/// Which events `watch` prints. With criteria, only what concerns them, as `list` prints only
/// what matches: binds, listens and closes on a port they name, and the life of a matched
/// process (its sockets, fork, exec, exit, discovery). Without criteria, every event about a
/// process that holds listeners; with `--all`, everything. `info` always: it is about discotop.
struct WatchFilter {
    let all: Bool
    /// Pids matched so far. Kept from the stream rather than read from the published state: a
    /// `deleted` (and the `exit` before it) comes before the `unmatched` that ends the match,
    /// and by then the state has forgotten the process.
    private var matched: Set<Int32> = []

    init(all: Bool) {
        self.all = all
    }

    /// The events of one update that are to be printed, in order.
    mutating func admitted(_ events: [TimedEvent], state: EngineState) -> [TimedEvent] {
        // A listener's bind and listen come in the same update as the `matched` they lead to,
        // before it: a process matched anywhere in the update counts as matched throughout.
        let matchedHere = Set(events.compactMap { timed -> Int32? in
            if case .matched(let record, _) = timed.event { return record.pid }
            return nil
        })
        return events.filter { admits($0.event, state: state, matchedHere: matchedHere) }
    }

    private mutating func admits(_ event: EngineEvent, state: EngineState, matchedHere: Set<Int32>) -> Bool {
        let before = matched
        let wasMatched = { (pid: Int32) in before.contains(pid) || matchedHere.contains(pid) }
        switch event {
        case .matched(let record, _): matched.insert(record.pid)
        case .unmatched(let record, _): matched.remove(record.pid)
        default: break
        }
        if all { return true }
        let criteria = state.criteria
        switch event {
        case .info, .matched, .unmatched:
            return true
        case .kernel(let k, let relevant):
            guard !criteria.isEmpty else { return relevant }
            if k.isSocketEvent { return Self.names(k.port, in: criteria) || wasMatched(k.pid) }
            return wasMatched(k.pid) || (k.kind == .fork && wasMatched(k.ppid))
        case .created(let record), .changed(_, let record):
            return criteria.isEmpty || wasMatched(record.pid) || state.verdicts[record.identity]?.matched == true
        case .deleted(let record):
            return criteria.isEmpty || wasMatched(record.pid)
        }
    }

    /// A selector's `open_ports` holds the port. Exclusions do not count here, unlike in the
    /// verdicts: who binds a port the criteria name is news even when that process is excluded,
    /// and often the reason the expected one failed to bind it.
    private static func names(_ port: UInt16, in criteria: Criteria) -> Bool {
        criteria.instrument.contains { $0.openPorts?.contains(port) == true }
    }
}
