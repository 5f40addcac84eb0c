/// The capabilities this process holds, read once from /proc/self/status (CapEff). discotop
/// decides what it can do from these, never from the uid: an unprivileged DaemonSet grants
/// CAP_BPF and friends to a non-root user, and root in a user namespace has none of them.
public struct Capabilities: Sendable, Equatable {
    /// The capabilities discotop cares about, with the kernel's numbers.
    public enum Capability: Int, Sendable, CaseIterable, CustomStringConvertible {
        case dacReadSearch = 2
        case netAdmin = 12
        case sysPtrace = 19
        case sysAdmin = 21
        case perfmon = 38
        case bpf = 39

        public var description: String {
            switch self {
            case .dacReadSearch: "CAP_DAC_READ_SEARCH"
            case .netAdmin: "CAP_NET_ADMIN"
            case .sysPtrace: "CAP_SYS_PTRACE"
            case .sysAdmin: "CAP_SYS_ADMIN"
            case .perfmon: "CAP_PERFMON"
            case .bpf: "CAP_BPF"
            }
        }
    }

    public let effective: UInt64

    public init(effective: UInt64) {
        self.effective = effective
    }

    /// This process's effective set; empty when /proc/self/status cannot be read.
    public static let current = Capabilities(effective: readEffective(SystemFiles.readText("/proc/self/status") ?? ""))

    public func has(_ capability: Capability) -> Bool {
        effective & (1 << UInt64(capability.rawValue)) != 0
    }

    /// Loading and attaching tracing programs: CAP_BPF with CAP_PERFMON (5.8+), or
    /// CAP_SYS_ADMIN, which implies both.
    public var canLoadTracing: Bool { has(.sysAdmin) || (has(.bpf) && has(.perfmon)) }

    /// Cgroup socket programs are networking programs: CAP_BPF with CAP_NET_ADMIN, or CAP_SYS_ADMIN.
    public var canLoadCgroupSocket: Bool { has(.sysAdmin) || (has(.bpf) && has(.netAdmin)) }

    /// Reading other users' /proc/PID/fd and the exe link.
    public var canReadOtherProcesses: Bool { has(.sysPtrace) || has(.dacReadSearch) }

    /// What is missing to load programs of `kind` (empty when they can load).
    public func missing(for kind: BPFError.ProgramKind) -> [Capability] {
        switch kind {
        case .tracing: canLoadTracing ? [] : [Capability.bpf, .perfmon].filter { !has($0) }
        case .cgroupSocket: canLoadCgroupSocket ? [] : [Capability.bpf, .netAdmin].filter { !has($0) }
        }
    }

    /// What the user loses without each capability discotop uses beyond loading.
    public var limits: [CapabilityLimit] {
        (canReadOtherProcesses ? [] : [.otherUsersProcesses]) + (has(.sysAdmin) ? [] : [.otherNetworkNamespaces])
    }

    /// Parses the `CapEff:` line of /proc/PID/status (hexadecimal).
    static func readEffective(_ status: String) -> UInt64 {
        for line in status.split(separator: "\n") where line.hasPrefix("CapEff:") {
            return UInt64(String(line.dropFirst("CapEff:".count).filter { $0.isHexDigit }), radix: 16) ?? 0
        }
        return 0
    }
}
