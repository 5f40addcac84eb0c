import Agent
import Engine

/// The one agent every input talks to: a fixed state of a few processes, a token, the
/// default limits, and `--allow-remote-criteria`, so that `PUT /v1/criteria` parses bodies.
enum FuzzAgent {
    static let token = "fuzz-token"
    static let limits = ServerLimits()
    /// Bytes fed per read, a second apart: a request of more than `requestTimeout` reads is cut off.
    static let chunk = 61
    /// Above the largest document this state has (the events snapshot and /metrics, each a few KiB).
    static let largestBody = 64 * 1024

    static let state: EngineState = {
        var state = EngineState()
        let criteria = Criteria(openPorts: try! PortRanges(parsing: "80,8000-8999"))
        state.criteria = criteria
        var report = ScanReport()
        report.source = "proc"
        state.lastFullScan = report
        state.lastFullScanAt = 1_700_000_000_000_000_000
        state.mode = .poll(intervalSeconds: 5, reason: .disabled)
        for (pid, comm, port) in [(1, "init", nil), (100, "nginx", 80), (4242, "python3", 8080), (4243, "bad\"comm\n", 9999)] as [(Int32, String, UInt16?)] {
            let identity = ProcessIdentity(pid: pid, startTime: UInt64(pid))
            let ports = port.map { [HeldSocket(socket: ListeningSocket(proto: .tcp, family: .ipv4, address: "0.0.0.0", port: $0, inode: UInt64(pid) * 10, netns: 1), fd: 3)] }
            state.records[identity] = ProcessRecord(
                identity: identity, ppid: 1, comm: comm, exe: "/usr/bin/\(comm)", uid: 0, user: "root", netns: 1, ports: ports ?? [], isReady: true)
            let matched = port.map { (80...80).contains($0) || (8000...8999).contains($0) } ?? false
            state.verdicts[identity] = MatchVerdict(state: matched ? .matched : .unmatched, selectors: matched ? ["open_ports"] : [])
            state.discoveredAt[identity] = state.lastFullScanAt
        }
        return state
    }()

    static let hub: AgentHub = {
        let control = CriteriaControl(base: state.criteria) { _ in }
        let hub = AgentHub(documents: FixedDocuments(), backlog: limits.eventBacklogBytes, criteriaControl: control, renderQueue: InPlace())
        hub.publish(EngineUpdate(events: [], state: state))
        return hub
    }()

    static let pipeline = AgentPipeline(hub: hub, token: BearerToken(token), limits: limits, perProcessSeries: true, inspectQueue: InPlace())

    /// What a subscriber gets live: a bind and the match it led to.
    static let liveUpdate: EngineUpdate = {
        let record = state.records.values.first { $0.pid == 4242 }!
        let bind = KernelEvent(
            kind: .bind, pid: 4242, tid: 4242, ppid: 1, result: 0, netns: 1, inode: 42420, family: .ipv4, proto: .tcp, protocolNumber: 6,
            port: 8080, address: "0.0.0.0", comm: "python3", commBytes: nil, startTime: 4242, uid: 0)
        return EngineUpdate(
            events: [TimedEvent(.kernel(bind, relevant: true), time: state.lastFullScanAt), TimedEvent(.matched(record, state.verdicts[record.identity]!), time: state.lastFullScanAt)],
            state: state)
    }()
}

/// The work the agent would hand a dispatch queue, done at once: the `EmbeddedChannel` and its
/// loop live on the fuzzer's thread.
struct InPlace: WorkQueue {
    func run(_ work: @escaping @Sendable () -> Void) {
        work()
    }
}

/// Documents of a fixed shape for the fixed state. The agent's real ones are the executable's
/// (`ListJSON`, `WatchLine`, the inspect view), which this package cannot link, and tested
/// there; what is fuzzed here is how requests reach them, not how a state is written.
struct FixedDocuments: AgentDocuments {
    var discotopVersion: String { "0.0.0-fuzz" }

    func eventLine(_ event: TimedEvent, state: EngineState) -> [UInt8]? {
        let pid: Int32 =
            switch event.event {
            case .kernel(let k, _): k.pid
            case .created(let r), .deleted(let r), .changed(_, let r), .matched(let r, _), .unmatched(let r, _): r.pid
            case .info: 0
            }
        return Array(#"{"time":"\#(WallClock.rfc3339(event.time))","pid":\#(pid)}"#.utf8) + [0x0A]
    }

    func processList(
        rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria, scannedAt: UInt64, surroundings: [ProcessSurroundings]
    ) -> [UInt8] {
        precondition(rows.count == surroundings.count)
        return Array(#"{"schema_version":1,"processes":[\#(rows.map { String($0.0.pid) }.joined(separator: ","))]}"#.utf8) + [0x0A]
    }

    func inspection(of record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) -> [UInt8] {
        Array(#"{"schema_version":1,"pid":\#(record.pid)}"#.utf8) + [0x0A]
    }
}
