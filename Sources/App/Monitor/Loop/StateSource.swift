import Engine

/// Where the monitor's published state comes from: this machine's engine, or agents reached
/// with `--connect`. Either hands over `EngineUpdate`s; the views draw those and never know
/// which it was. Data flows one way: source, published state, views.
protocol StateSource: AnyObject, Sendable {
    func start(_ publish: @escaping @Sendable (EngineUpdate) -> Void)
    func stop()
    /// The prompt's criteria: the engine judges by them from now on; a remote view re-filters
    /// what the agents sent.
    func setCriteria(_ criteria: Criteria)
    /// The inspect view's content; may take a while (it reads /proc and ELF files, or asks an
    /// agent), so the run loop calls it off its thread.
    func inspect(_ record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) -> Inspection
    /// Whether the processes shown are this machine's, so a signal may be sent to them.
    var isLocal: Bool { get }
}

extension DiscoveryEngine: StateSource {
    func inspect(_ record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) -> Inspection {
        Inspection.of(record, verdict: verdict, criteria: criteria)
    }

    var isLocal: Bool { true }
}
