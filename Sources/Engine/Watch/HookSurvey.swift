/// Every tier of every concern, probed on this kernel, and the hooks the watcher really runs:
/// `discotop hooks` shows it, and tests and benchmarks ask it which tiers exist here.
public struct HookSurvey: Sendable {
    public struct Entry: Sendable {
        public var concern: HookConcern
        public var tier: HookTier
        /// nil when the probe found the tier usable.
        public var unavailable: BPFError?
    }

    /// What stops every tier at once (no BTF, missing capabilities), if anything.
    public var preflight: BPFError?
    public var entries: [Entry]
    /// The hooks a real load chose, or why it failed.
    public var loaded: Result<WatcherHooks, BPFError>
    /// Tiers that passed the probe but were refused by the real load or attach.
    public var refused: [HookAttempt]

    public static func run(capabilities: Capabilities = .current) -> HookSurvey {
        let probe = KernelProbe(capabilities: capabilities)
        let preflight = BPFError.preflight(capabilities)
        let entries = HookConcern.allCases.flatMap { concern in
            concern.tiers.map { Entry(concern: concern, tier: $0, unavailable: preflight ?? probe.check(concern, $0)) }
        }
        var refused: [HookAttempt] = []
        let loaded: Result<WatcherHooks, BPFError>
        do throws(BPFError) {
            let watcher = try KernelWatcher(capabilities: capabilities)
            loaded = .success(watcher.hooks)
            refused = watcher.passedOver.filter { attempt in
                entries.contains { $0.concern == attempt.concern && $0.tier == attempt.tier && $0.unavailable == nil }
            }
        } catch {
            loaded = .failure(error)
        }
        return HookSurvey(preflight: preflight, entries: entries, loaded: loaded, refused: refused)
    }

    /// Whether `tier` can serve `concern` here: the probe passed and the real load did not refuse it.
    public func offers(_ concern: HookConcern, _ tier: HookTier) -> Bool {
        entries.contains { $0.concern == concern && $0.tier == tier && $0.unavailable == nil }
            && !refused.contains { $0.concern == concern && $0.tier == tier }
    }
}
