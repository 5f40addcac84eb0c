import CBPF

/// One thing the watcher hooks, with its own tiers of hooks. Event kinds map onto concerns:
/// listen and listener close share the socket-state tracepoint, and a UDP socket's close has a
/// hook of its own.
public enum HookConcern: String, Sendable, CaseIterable, Hashable, Comparable {
    case bind
    /// TCP listen and listener close, from `inet_sock_set_state`.
    case state
    /// A bound UDP socket released (cgroup `sock_release`).
    case release
    case fork
    case exec
    case exit

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The tiers that can serve this concern, best first: within the cost target first (a hook
    /// must not slow other syscalls by more than 3 %), then what sees most. Syscall tracepoints
    /// see failed binds, but enabling any of them puts every syscall of every task on the slow
    /// path (bench/hook_overhead), so they come after cgroup post_bind, which costs nothing
    /// outside bind(2) and sees only binds that succeed.
    public var tiers: [HookTier] {
        switch self {
        case .bind: [.fexit, .kprobe, .cgroup, .tracepoint]
        case .state, .fork, .exec, .exit: [.tpBTF, .rawTP]
        case .release: [.cgroup]
        }
    }

    /// The programs of bpf/watcher.bpf.c that implement `tier` for this concern.
    func programs(_ tier: HookTier) -> [String] {
        switch (self, tier) {
        case (.bind, .fexit): ["bind_fexit"]
        case (.bind, .kprobe): ["bind_kprobe", "bind_kretprobe"]
        case (.bind, .tracepoint): ["bind_enter", "bind_exit"]
        case (.bind, .cgroup): ["bind_post4", "bind_post6"]
        case (.state, .tpBTF): ["state_btf"]
        case (.state, .rawTP): ["state_raw"]
        case (.release, .cgroup): ["udp_release"]
        case (.fork, .tpBTF): ["fork_btf"]
        case (.fork, .rawTP): ["fork_raw"]
        case (.exec, .tpBTF): ["exec_btf"]
        case (.exec, .rawTP): ["exec_raw"]
        case (.exit, .tpBTF): ["exit_btf"]
        case (.exit, .rawTP): ["exit_raw"]
        default: []
        }
    }

    /// The kernel symbol each tier hooks: a function for fexit/kprobe, a tracepoint otherwise.
    func target(_ tier: HookTier) -> HookTarget {
        switch (self, tier) {
        case (.bind, .fexit), (.bind, .kprobe): .function("__sys_bind")
        case (.bind, .tracepoint): .tracefsEvents(["syscalls/sys_enter_bind", "syscalls/sys_exit_bind"])
        case (.bind, .cgroup): .cgroup([.inet4PostBind, .inet6PostBind])
        case (.release, _): .cgroup([.sockRelease])
        case (.state, _): .tracepoint("inet_sock_set_state")
        case (.fork, _): .tracepoint("sched_process_fork")
        case (.exec, _): .tracepoint("sched_process_exec")
        case (.exit, _): .tracepoint("sched_process_exit")
        case (.bind, _): .function("__sys_bind")
        }
    }

    /// The event kinds this concern reports, for the mode line.
    public var eventNames: String {
        switch self {
        case .bind: "bind"
        case .state: "listen+close"
        case .release: "udp-close"
        case .fork, .exec, .exit: rawValue
        }
    }
}

/// A way of hooking the kernel. Which ones work depends on the kernel's configuration, what is
/// mounted, and the process's capabilities: the watcher probes before it loads.
public enum HookTier: String, Sendable, CaseIterable, Hashable {
    /// BPF trampoline on function exit: arguments and result together, cheapest.
    case fexit
    /// kprobe + kretprobe through the perf PMU (Beyla's hook family).
    case kprobe
    /// Classic tracepoints, whose ids libbpf reads from tracefs.
    case tracepoint
    /// BTF-typed raw tracepoint: no tracefs, typed arguments.
    case tpBTF = "tp_btf"
    /// Raw tracepoint by name: no tracefs, no BTF needed for the attach itself.
    case rawTP = "raw_tp"
    /// A cgroup socket hook at the cgroup v2 root: no tracefs, no kprobes.
    case cgroup
}

/// What a tier attaches to.
enum HookTarget: Equatable {
    case function(String)
    case tracefsEvents([String])
    case tracepoint(String)
    case cgroup([CgroupAttach])
}

/// The cgroup attach points discotop uses.
enum CgroupAttach {
    case inet4PostBind
    case inet6PostBind
    case sockRelease

    var attachType: bpf_attach_type {
        switch self {
        case .inet4PostBind: BPF_CGROUP_INET4_POST_BIND
        case .inet6PostBind: BPF_CGROUP_INET6_POST_BIND
        case .sockRelease: BPF_CGROUP_INET_SOCK_RELEASE
        }
    }
}

/// A tier tried for a concern and why it was passed over.
public struct HookAttempt: Sendable, Equatable, CustomStringConvertible {
    public var concern: HookConcern
    public var tier: HookTier
    public var reason: BPFError

    /// Position of the tier among its concern's tiers, for ordering.
    var tierRank: Int { concern.tiers.firstIndex(of: tier) ?? concern.tiers.count }

    /// e.g. `bind fexit: fexit refused: ENOTSUPP (not supported by this kernel)`.
    public var description: String { "\(concern.rawValue) \(tier.rawValue): \(reason)" }
}

/// What a tier cannot see, said in the mode line so that a missing event has an explanation.
public enum HookLimit: Sendable, Equatable, CustomStringConvertible {
    /// cgroup post_bind runs only inside a bind that succeeded.
    case failedBindsUnseen
    /// cgroup post_bind has no socket inode or namespace: the rescan of the pid supplies them.
    case bindSocketFromRescan
    /// Without the sock_release hook a UDP socket's close waits for the next sweep.
    case udpCloseUnseen
    /// A concern with no hook at all waits for sweeps.
    case off(HookConcern)

    /// Stable name for scripts.
    public var code: String {
        switch self {
        case .failedBindsUnseen: "failed_binds_unseen"
        case .bindSocketFromRescan: "bind_socket_from_rescan"
        case .udpCloseUnseen: "udp_close_unseen"
        case .off(let concern): "\(concern.rawValue)_off"
        }
    }

    public var description: String {
        switch self {
        case .failedBindsUnseen:
            "failed binds are not seen (cgroup post_bind reports successful binds only; --hook bind=tracepoint sees them, at a cost to every syscall)"
        case .bindSocketFromRescan: "binds carry no socket inode or netns (cgroup hook) until the rescan of a UDP bind or a listen finds them"
        case .udpCloseUnseen: "UDP socket closes are seen at the next sweep (no cgroup sock_release hook)"
        case .off(let concern): "\(concern.eventNames) events off: found at the next sweep"
        }
    }
}

/// Which hooks a loaded watcher runs: shown to the user, because "why did I not see that
/// event?" starts here.
public struct WatcherHooks: Sendable, Equatable, CustomStringConvertible {
    /// The live tier of each concern; a missing concern is off.
    public var tiers: [HookConcern: HookTier]

    public init(tiers: [HookConcern: HookTier]) {
        self.tiers = tiers
    }

    public var bind: HookTier? { tiers[.bind] }

    public subscript(_ concern: HookConcern) -> HookTier? { tiers[concern] }

    /// Whether bind events include failures (with their errno).
    public var seesFailedBinds: Bool { bind.map { $0 != .cgroup } ?? false }

    var programs: [String] {
        HookConcern.allCases.flatMap { concern in tiers[concern].map { concern.programs($0) } ?? [] }
    }

    public var limits: [HookLimit] {
        var result: [HookLimit] = HookConcern.allCases.filter { tiers[$0] == nil && $0 != .release }.map { .off($0) }
        if bind == .cgroup { result += [.failedBindsUnseen, .bindSocketFromRescan] }
        if tiers[.release] == nil { result.append(.udpCloseUnseen) }
        return result
    }

    /// e.g. `bind=cgroup listen=tp_btf close=tp_btf udp-close=cgroup fork=tp_btf exec=tp_btf exit=tp_btf`.
    public var description: String {
        func name(_ concern: HookConcern) -> String { tiers[concern]?.rawValue ?? "off" }
        return "bind=\(name(.bind)) listen=\(name(.state)) close=\(name(.state)) udp-close=\(name(.release)) "
            + "fork=\(name(.fork)) exec=\(name(.exec)) exit=\(name(.exit))"
    }

    /// Short form for a header line: the tiers in use, and what is off, e.g. `cgroup+tp_btf`
    /// or `tp_btf, no bind`.
    public var summary: String {
        var order: [HookTier] = []
        for concern in HookConcern.allCases {
            if let tier = tiers[concern], !order.contains(tier) { order.append(tier) }
        }
        let off = HookConcern.allCases.filter { tiers[$0] == nil && $0 != .release }.map(\.eventNames)
        return order.map(\.rawValue).joined(separator: "+") + (off.isEmpty ? "" : ", no " + off.joined(separator: "/"))
    }
}
