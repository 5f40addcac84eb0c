/// What the engine tells about itself, as data: the mode and hooks, the tiers passed over and
/// why, what a hook or a missing capability cannot see, lost events, scan fallbacks. Views
/// print `message`; scripts key on `code`, which stays stable while the wording may change.
public enum EngineNotice: Sendable, Equatable {
    case mode(EngineMode, fullScans: FullScanSource)
    case hookPassedOver(HookAttempt)
    case hookLimit(HookLimit)
    case capability(CapabilityLimit)
    /// The kernel dropped `count` events (ring buffer full); everything is rescanned.
    case lostEvents(count: UInt64)
    /// Full scans use /proc because the BPF iterator is unavailable or failed.
    case scanFallback(reason: String)
    /// A consumer (a `watch` reader, an HTTP client) fell so far behind that `count` events
    /// meant for it were dropped, rather than stall discovery or grow without bound.
    case eventsDropped(count: Int)

    public enum FullScanSource: String, Sendable {
        case iterator = "bpf iterator"
        case proc = "/proc"
    }

    public var code: String {
        switch self {
        case .mode: "mode"
        case .hookPassedOver: "hook_passed_over"
        case .hookLimit: "hook_limit"
        case .capability: "capability"
        case .lostEvents: "lost_events"
        case .scanFallback: "scan_fallback"
        case .eventsDropped: "events_dropped"
        }
    }

    public var message: String {
        switch self {
        case .mode(let mode, let source):
            if case .ebpf(let hooks, _) = mode { return "mode \(mode); hooks \(hooks); full scans via \(source.rawValue)" }
            return "mode \(mode)"
        case .hookPassedOver(let attempt): return "hook passed over: \(attempt)"
        case .hookLimit(let limit): return "hook limit: \(limit)"
        case .capability(let limit): return "capability: \(limit)"
        case .lostEvents(let count): return "lost \(count) kernel events (ring buffer full); rescanning everything"
        case .scanFallback(let reason): return "full scans via /proc: bpf iterator unavailable (\(reason))"
        case .eventsDropped(let count): return "dropped \(count) events: the reader fell behind; the state itself is whole"
        }
    }
}

/// What a missing capability costs, said once at start.
public enum CapabilityLimit: Sendable, Equatable, CustomStringConvertible {
    case otherUsersProcesses
    case otherNetworkNamespaces

    public var code: String {
        switch self {
        case .otherUsersProcesses: "other_users_processes_unknown"
        case .otherNetworkNamespaces: "other_netns_via_proc"
        }
    }

    public var description: String {
        switch self {
        case .otherUsersProcesses: "no CAP_SYS_PTRACE or CAP_DAC_READ_SEARCH: ports of other users' processes unknown"
        case .otherNetworkNamespaces: "no CAP_SYS_ADMIN: other network namespaces are read from /proc/PID/net, not netlink"
        }
    }
}
