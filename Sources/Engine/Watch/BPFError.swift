import CBPF
import Glibc

/// Why eBPF is not available, in words a user can act on.
public struct BPFError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Explains a failed libbpf call from its errno and libbpf's last message.
    static func from(step: String, code: Int32) -> BPFError {
        let errnoValue = abs(code)
        let detail = String(cString: discotop_libbpf_last_message())
        var reason: String
        switch errnoValue {
        case EPERM, EACCES:
            reason = geteuid() == 0
                ? "the kernel refused it (permission denied: this program type is disabled or a security policy forbids it)"
                : "not root (needs root, or CAP_BPF with CAP_PERFMON)"
        case ENOENT where step.contains("attach"):
            reason = "hook not present in this kernel"
        case ENOTSUP, EOPNOTSUPP:
            reason = "not supported by this kernel"
        default:
            var buffer = [CChar](repeating: 0, count: 256)
            libbpf_strerror(Int32(errnoValue), &buffer, buffer.count)
            reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        if !detail.isEmpty, !reason.contains(detail) { reason += " (libbpf: \(detail))" }
        return BPFError("\(step): \(reason)")
    }

    /// What must hold before any load is worth trying.
    static func preflight() -> BPFError? {
        if access("/sys/kernel/btf/vmlinux", R_OK) != 0 {
            return BPFError("kernel has no BTF (/sys/kernel/btf/vmlinux missing; needs CONFIG_DEBUG_INFO_BTF)")
        }
        return nil
    }
}
