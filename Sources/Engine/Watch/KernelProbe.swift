import CBPF
import CLinux
import Glibc

/// Asks the kernel what it offers before the real programs load: a program type and attach
/// point taken by an empty program, a function or tracepoint present in BTF, tracefs mounted
/// where libbpf looks, a kprobe PMU, a cgroup v2 root. The answers are typed, so the choice of
/// hooks never depends on the wording of a libbpf message (as libbpf-tools' `probe_tp_btf`).
final class KernelProbe {
    let capabilities: Capabilities
    private var answers: [String: BPFError?] = [:]

    init(capabilities: Capabilities = .current) {
        self.capabilities = capabilities
    }

    deinit {
        discotop_release_vmlinux_btf()
    }

    /// Frees the kernel's BTF the checks parsed (a check that needs it again parses it again):
    /// libbpf parses its own copy to load the programs, and two at once are 12 MB.
    func releaseBTF() {
        discotop_release_vmlinux_btf()
    }

    /// nil when `tier` can serve `concern` on this kernel, else why not.
    func check(_ concern: HookConcern, _ tier: HookTier) -> BPFError? {
        let key = "\(concern.rawValue)/\(tier.rawValue)"
        if let known = answers[key] { return known }
        let answer = probe(concern.target(tier), tier)
        answers[key] = answer
        return answer
    }

    private func probe(_ target: HookTarget, _ tier: HookTier) -> BPFError? {
        let kind: BPFError.ProgramKind = tier == .cgroup ? .cgroupSocket : .tracing
        let missing = capabilities.missing(for: kind)
        if !missing.isEmpty { return .missingCapabilities(missing, for: kind) }
        switch (target, tier) {
        case (.function(let name), .fexit):
            let id = discotop_vmlinux_function_id(name)
            guard id > 0 else { return id == -ENOENT ? .functionNotInBTF(name) : .noBTF }
            return loadAndAttach(BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, btfID: UInt32(id), tier: tier, tracepoint: nil)
        case (.function(let name), .kprobe):
            guard access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0 else { return .kprobesNotCompiled }
            guard discotop_vmlinux_function_id(name) > 0 else { return .functionNotInBTF(name) }
            return load(BPF_PROG_TYPE_KPROBE, bpf_attach_type(0), btfID: 0, tier: tier).error
        case (.tracefsEvents(let events), _):
            let root = Self.tracefsPath
            for event in events where access("\(root)/events/\(event)/id", R_OK) != 0 {
                return Self.isTracefs(root) ? .tracepointMissing(event) : .tracefsNotMounted(path: root)
            }
            return load(BPF_PROG_TYPE_TRACEPOINT, bpf_attach_type(0), btfID: 0, tier: tier).error
        case (.tracepoint(let name), .tpBTF):
            let id = discotop_vmlinux_typedef_id("btf_trace_\(name)")
            guard id > 0 else { return id == -ENOENT ? .tracepointNotInBTF(name) : .noBTF }
            return loadAndAttach(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, btfID: UInt32(id), tier: tier, tracepoint: nil)
        case (.tracepoint(let name), .rawTP):
            return loadAndAttach(BPF_PROG_TYPE_RAW_TRACEPOINT, bpf_attach_type(0), btfID: 0, tier: tier, tracepoint: name)
        case (.cgroup(let points), .cgroup):
            if case .failure(let reason) = Cgroup2Root.shared { return reason }
            // Loaded, not attached: an empty cgroup program returns 0, which would deny binds.
            for point in points {
                if let reason = load(BPF_PROG_TYPE_CGROUP_SOCK, point.attachType, btfID: 0, tier: tier).error { return reason }
            }
            return nil
        default:
            return .programTypeRefused(tier, errno: EINVAL)
        }
    }

    private func load(_ type: bpf_prog_type, _ attach: bpf_attach_type, btfID: UInt32, tier: HookTier) -> (fd: Int32, error: BPFError?) {
        let fd = discotop_probe_program(type, attach, btfID)
        guard fd >= 0 else { return (-1, .programTypeRefused(tier, errno: -fd)) }
        return (fd, nil)
    }

    /// Tracing programs can load and still be refused at attach (no trampoline, a locked-down
    /// kernel), so these are attached too, for the moment of the probe.
    private func loadAndAttach(_ type: bpf_prog_type, _ attach: bpf_attach_type, btfID: UInt32, tier: HookTier, tracepoint: String?) -> BPFError? {
        let (fd, error) = load(type, attach, btfID: btfID, tier: tier)
        if let error { return error }
        defer { close(fd) }
        let link = tracepoint.map { bpf_raw_tracepoint_open($0, fd) } ?? bpf_raw_tracepoint_open(nil, fd)
        guard link >= 0 else { return .attachRefused(program: "empty \(tier.rawValue) probe", errno: errno, detail: "") }
        close(link)
        return nil
    }

    /// Where libbpf looks for tracepoint ids: the debugfs copy when that path exists, else tracefs.
    static var tracefsPath: String {
        access("/sys/kernel/debug/tracing", F_OK) == 0 ? "/sys/kernel/debug/tracing" : "/sys/kernel/tracing"
    }

    private static func isTracefs(_ path: String) -> Bool {
        discotop_is_tracefs(path) == 1
    }
}
