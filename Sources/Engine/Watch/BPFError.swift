import CBPF
import Glibc

/// What went wrong with eBPF, as data: code decides on the case, and `description` is the one
/// place that turns a case into the words users read.
public enum BPFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// /sys/kernel/btf/vmlinux is missing: CO-RE cannot relocate anything.
    case noBTF
    /// discotop runs in a pid namespace of its own. Programs name processes by their pids in the
    /// initial namespace, which do not exist (or are other processes) in this one's /proc.
    case foreignPIDNamespace
    /// The process lacks what loading programs of `kind` needs.
    case missingCapabilities([Capabilities.Capability], for: ProgramKind)
    /// libbpf finds tracepoint ids under tracefs, which is not mounted where it looks.
    case tracefsNotMounted(path: String)
    /// tracefs is mounted but has no such event (e.g. CONFIG_FTRACE_SYSCALLS unset).
    case tracepointMissing(String)
    /// No kprobe PMU: CONFIG_KPROBES unset (or the perf event source hidden).
    case kprobesNotCompiled
    /// The kernel's BTF has no such function (renamed, inlined or not built) for fexit/kprobe.
    case functionNotInBTF(String)
    /// The kernel's BTF has no `btf_trace_<name>`: tp_btf cannot attach to that tracepoint.
    case tracepointNotInBTF(String)
    /// No cgroup v2 hierarchy to attach cgroup socket programs to.
    case noCgroup2(mountErrno: Int32?)
    /// The kernel refused even an empty program of this kind (program type or attach type
    /// unsupported, or forbidden by policy).
    case programTypeRefused(HookTier, errno: Int32)
    /// The kernel refused to attach a program that loaded.
    case attachRefused(program: String, errno: Int32, detail: String)
    /// The verifier (or BTF/CO-RE relocation) rejected a real program; `detail` is libbpf's
    /// last line, for the user only.
    case loadRefused(program: String, errno: Int32, detail: String)
    /// A libbpf call outside program loading failed.
    case call(Step, errno: Int32, detail: String)
    /// The user asked for a hook this kernel cannot run.
    indirect case notAvailable(HookConcern, HookTier, because: BPFError)
    /// Every concern failed: nothing at all could be watched.
    case noHookLoaded([HookAttempt])

    /// Program families with different privilege rules.
    public enum ProgramKind: Sendable {
        /// Tracing programs and maps: CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN.
        case tracing
        /// Cgroup socket programs are networking programs: CAP_BPF with CAP_NET_ADMIN, or CAP_SYS_ADMIN.
        case cgroupSocket
    }

    public enum Step: String, Sendable {
        case open = "open"
        case load = "load"
        case ringBuffer = "ring buffer"
        case iteratorCreate = "iterator create"
        case iteratorRead = "iterator read"
        case missingProgram = "find program"
        case missingMap = "find map"
    }

    public var description: String {
        switch self {
        case .noBTF:
            "kernel has no BTF (/sys/kernel/btf/vmlinux missing; needs CONFIG_DEBUG_INFO_BTF)"
        case .foreignPIDNamespace:
            "discotop runs in a pid namespace of its own, and eBPF names processes by their host pids, which this namespace cannot see (run it in the host's: docker --pid=host, Kubernetes hostPID: true)"
        case .missingCapabilities(let missing, .tracing):
            "missing \(missing.map(\.description).joined(separator: " and ")) (eBPF tracing needs CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN)"
        case .missingCapabilities(let missing, .cgroupSocket):
            "missing \(missing.map(\.description).joined(separator: " and ")) (cgroup socket hooks need CAP_BPF with CAP_NET_ADMIN, or CAP_SYS_ADMIN)"
        case .tracefsNotMounted(let path):
            "tracefs not mounted at \(path)"
        case .tracepointMissing(let name):
            "tracepoint \(name) not in this kernel's tracefs"
        case .kprobesNotCompiled:
            "kprobes not compiled into this kernel (no kprobe PMU at /sys/bus/event_source/devices/kprobe)"
        case .functionNotInBTF(let name):
            "function \(name) not in the kernel's BTF"
        case .tracepointNotInBTF(let name):
            "tracepoint \(name) has no BTF type (btf_trace_\(name))"
        case .noCgroup2(let mountErrno):
            if let mountErrno {
                "no cgroup v2 hierarchy mounted, and mounting one privately failed: \(Self.errnoText(mountErrno))"
            } else {
                "no cgroup v2 hierarchy mounted (and no CAP_SYS_ADMIN to mount one privately)"
            }
        case .programTypeRefused(let tier, let code):
            "\(tier.rawValue) refused: \(Self.errnoText(code))"
        case .attachRefused(let program, let code, let detail):
            "attach \(program) refused: \(Self.errnoText(code))\(Self.suffix(detail))"
        case .loadRefused(let program, let code, let detail):
            "load \(program) refused: \(Self.errnoText(code))\(Self.suffix(detail))"
        case .call(let step, let code, let detail):
            "\(step.rawValue): \(Self.errnoText(code))\(Self.suffix(detail))"
        case .notAvailable(let concern, let tier, let reason):
            "\(concern.rawValue) hook \(tier.rawValue) not available: \(reason)"
        case .noHookLoaded(let attempts):
            "no hook could be loaded: " + attempts.map(\.description).joined(separator: "; ")
        }
    }

    /// A libbpf failure of `step`, with libbpf's last message as detail.
    static func call(_ step: Step, code: Int32) -> BPFError {
        .call(step, errno: abs(code), detail: String(cString: discotop_libbpf_last_message()))
    }

    /// `EPERM (operation not permitted)`: the name for searching, the text for reading.
    /// ENOTSUPP (524) is the kernel's own and has no libc text.
    static func errnoText(_ code: Int32) -> String {
        let value = abs(code)
        if value == 524 { return "ENOTSUPP (not supported by this kernel)" }
        let name = ErrnoName.of(result: -value)
        return "\(name) (\(String(cString: strerror(value)).lowercased()))"
    }

    private static func suffix(_ detail: String) -> String {
        detail.isEmpty ? "" : " (libbpf: \(detail))"
    }

    /// What must hold before any load is worth trying.
    static func preflight(_ capabilities: Capabilities = .current) -> BPFError? {
        if access("/sys/kernel/btf/vmlinux", R_OK) != 0 { return .noBTF }
        if !PIDNamespace.isInitial { return .foreignPIDNamespace }
        if !capabilities.canLoadTracing { return .missingCapabilities(capabilities.missing(for: .tracing), for: .tracing) }
        return nil
    }
}
