import Dispatch

/// Runs a slow, independent load on another thread and hands its result over once, so two
/// loads that each take a while (each BPF object parses the kernel's BTF) overlap.
final class BackgroundLoad<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written once by the loading thread before `group` is left; read only after `wait()`.
    private var outcome: Result<Value, BPFError>?

    /// Starts `load` now; nil means there is nothing to load.
    init(_ load: (@Sendable () throws(BPFError) -> Value)?) {
        guard let load else { return }
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            outcome = Result { () throws(BPFError) in try load() }
        }
    }

    /// Waits for the load; nil when nothing was loaded.
    func result() -> Result<Value, BPFError>? {
        group.wait()
        return outcome
    }
}
