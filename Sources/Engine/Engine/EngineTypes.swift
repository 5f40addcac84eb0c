import HashTreeCollections

/// How the engine learns about changes.
public enum EngineMode: Sendable, Equatable, CustomStringConvertible {
    /// Kernel events drive discovery; a full sweep every `sweepSeconds` catches anything missed.
    case ebpf(hooks: WatcherHooks, sweepSeconds: Double)
    /// No eBPF: a full scan every `intervalSeconds`, as Beyla does, with the reason.
    case poll(intervalSeconds: Double, reason: PollReason)

    /// For the header and `info` lines: `eBPF: tp_btf listen+close+fork+exec+exit, cgroup bind` or `poll 5s: <reason>`.
    public var description: String {
        switch self {
        case .ebpf(let hooks, _): "eBPF: \(hooks.summary)"
        case .poll(let interval, let reason): "poll \(Seconds.text(interval)): \(reason)"
        }
    }

    public var isEBPF: Bool {
        if case .ebpf = self { return true }
        return false
    }
}

/// Why the engine polls.
public enum PollReason: Sendable, Equatable, CustomStringConvertible {
    case starting
    /// `--no-ebpf` (or `--proc-net`).
    case disabled
    case unavailable(BPFError)

    public var description: String {
        switch self {
        case .starting: "starting"
        case .disabled: "--no-ebpf"
        case .unavailable(let error): "\(error)"
        }
    }
}

/// What the engine is asked to do.
public struct EngineOptions: Sendable {
    public var criteria: Criteria
    public var useEBPF: Bool
    /// Concerns pinned to one tier (nil: off); the others get the best tier the kernel offers.
    public var hooks: [HookConcern: HookTier?]
    public var pollInterval: Double
    public var sweepInterval: Double
    /// Read socket tables from /proc/net instead of netlink (implies no eBPF iterator).
    public var forceProcNet: Bool
    /// Whether updates carry what happened to processes (created, changed, matched...) besides
    /// kernel events and notices. A view that draws only the state says no: the first full
    /// scan's batch alone is an event per process, 5 MB at 10,000.
    public var lifecycleEvents = true

    public init(
        criteria: Criteria = Criteria(), useEBPF: Bool = true, hooks: [HookConcern: HookTier?] = [:], pollInterval: Double = 5,
        sweepInterval: Double = 30, forceProcNet: Bool = false
    ) {
        self.criteria = criteria
        self.useEBPF = useEBPF
        self.hooks = hooks
        self.pollInterval = pollInterval
        self.sweepInterval = sweepInterval
        self.forceProcNet = forceProcNet
    }
}

/// One thing that happened, in the order it happened.
public enum EngineEvent: Sendable {
    /// A raw kernel event. `relevant` marks process events (fork, exec, exit) that concern a
    /// process holding listeners; socket events are always relevant.
    case kernel(KernelEvent, relevant: Bool)
    case created(ProcessRecord)
    case deleted(ProcessRecord)
    case changed(old: ProcessRecord, new: ProcessRecord)
    /// Emitted when a process is discovered, or gains ports, and meets the criteria.
    case matched(ProcessRecord, MatchVerdict)
    /// A matched process stopped matching, stopped listening or exited.
    case unmatched(ProcessRecord, reason: String)
    /// The hook choice, mode changes, lost events.
    case info(EngineNotice)

    public var isKernel: Bool {
        if case .kernel = self { return true }
        return false
    }
}

/// The immutable picture the engine publishes; views render it and nothing else.
public struct EngineState: Sendable {
    /// Every process holding listening sockets (or whose sockets are unknown), and the
    /// port-less ones the criteria pick, by identity.
    public var records: TreeDictionary<ProcessIdentity, ProcessRecord> = [:]
    /// Each process's verdict, with every selector's outcome: nothing else needs a matcher.
    public var verdicts: TreeDictionary<ProcessIdentity, MatchVerdict> = [:]
    /// Wall-clock nanoseconds when each process was first discovered.
    public var discoveredAt: TreeDictionary<ProcessIdentity, UInt64> = [:]
    /// Wall-clock nanoseconds when each process last started matching.
    public var matchedAt: TreeDictionary<ProcessIdentity, UInt64> = [:]
    public var mode: EngineMode = .poll(intervalSeconds: 5, reason: .starting)
    public var criteria = Criteria()
    public var lastFullScan: ScanReport?
    public var lastFullScanAt: UInt64 = 0
    public var lostEvents: UInt64 = 0
    /// Whether full scans use the BPF iterator.
    public var iteratorActive = false
    /// The agents a remote view shows (`--connect`), by `ProcessIdentity.node`; empty for this
    /// machine's own engine.
    public var nodes: [RemoteNode] = []

    public init() {}

    /// The processes by pid (then start time). Sorted on each read: views that read it per
    /// frame should keep the result.
    public var processes: [ProcessRecord] {
        get { records.values.sorted { $0.identity < $1.identity } }
        set { records = TreeDictionary(uniqueKeysWithValues: newValue.map { ($0.identity, $0) }) }
    }

    public var matchedCount: Int { verdicts.values.reduce(0) { $0 + ($1.matched ? 1 : 0) } }

    /// What the core knows, as it is now.
    mutating func take(_ core: DiscoveryCore) {
        records = core.records
        verdicts = core.verdicts
        discoveredAt = core.discoveredAt
        matchedAt = core.matchedAt
        criteria = core.criteria
    }
}

/// One agent of a remote view, as its last answer described it.
public struct RemoteNode: Sendable, Equatable {
    /// What the agent calls its machine (its `hostname`), else the address given.
    public var name: String
    /// HOST:PORT, as the URL gave it.
    public var address: String
    /// The agent's own criteria, as it words them.
    public var criteria: String
    /// It took the criteria asked for (`serve --allow-remote-criteria`) and judges them itself.
    public var judgesCriteria = false
    /// Why its last answer failed, while it does; its processes are then those of the last good one.
    public var failure: String?

    public init(name: String, address: String, criteria: String = "", failure: String? = nil) {
        self.name = name
        self.address = address
        self.criteria = criteria
        self.failure = failure
    }
}

public struct EngineUpdate: Sendable {
    public var events: [TimedEvent]
    public var state: EngineState

    public init(events: [TimedEvent], state: EngineState) {
        self.events = events
        self.state = state
    }
}

/// `5s`, `0.75s`: seconds as the header, `info` lines and check-config print them.
public enum Seconds {
    public static func text(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}
