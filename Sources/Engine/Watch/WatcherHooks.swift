/// The hook that reports bind(2), best first. Most production kernels have all three; this
/// project's build machine has only the tracepoints (no CONFIG_KPROBES, fentry refused).
public enum BindHook: String, Sendable, CaseIterable, Comparable {
    /// fexit on `__sys_bind`: arguments and result in one program, the cheapest.
    case fexit
    /// kprobe + kretprobe on `__sys_bind`: Beyla's hook family.
    case kprobe
    /// `syscalls/sys_enter_bind` + `sys_exit_bind`.
    case tracepoint

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// This hook and every one below it, in the order they are tried.
    var fallbacks: [BindHook] { Self.allCases.filter { $0 >= self } }

    var programs: [String] {
        switch self {
        case .fexit: ["bind_fexit"]
        case .kprobe: ["bind_kprobe", "bind_kretprobe"]
        case .tracepoint: ["bind_enter", "bind_exit"]
        }
    }
}

/// Which hooks a loaded watcher runs: shown to the user, because "why did I not see that
/// event?" starts here.
public struct WatcherHooks: Sendable, Equatable, CustomStringConvertible {
    public var bind: BindHook
    /// `tp_btf/sched_process_fork` attached; without it forked children wait for a sweep.
    public var fork: Bool

    /// Always loaded: listen(2) through its syscall tracepoints, listener close through
    /// `sock/inet_sock_set_state`, exec and exit through `sched` tracepoints.
    static let common = ["listen_enter", "listen_exit", "state_change", "on_exec", "on_exit"]

    var programs: [String] { bind.programs + Self.common + (fork ? ["on_fork"] : []) }

    /// e.g. `bind=tracepoint listen=tracepoint close=tracepoint fork=tp_btf exec=tracepoint exit=tracepoint`.
    public var description: String {
        "bind=\(bind.rawValue) listen=tracepoint close=tracepoint fork=\(fork ? "tp_btf" : "off") exec=tracepoint exit=tracepoint"
    }

    /// Short form for a header line, e.g. `tracepoint bind+listen+fork+exec`.
    public var summary: String {
        "\(bind.rawValue) bind+listen+\(fork ? "fork+" : "")exec"
    }
}
