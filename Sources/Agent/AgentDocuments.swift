import Engine

/// What the agent sends that `list`, `watch` and the monitor write too. Their one definition
/// stays with those commands (the `discotop` executable: `ListJSON`, `WatchLine`, the inspect
/// view), which hand it to the agent here; this library only decides when each is sent.
public protocol AgentDocuments: Sendable {
    /// The discotop version the documents name (`discotop_build_info` carries it too).
    var discotopVersion: String { get }

    /// A `watch --json` line for a published event, ending with its newline; nil for none.
    func eventLine(_ event: TimedEvent, state: EngineState) -> [UInt8]?

    /// The `list --json` document of `rows`, each with the surroundings at its index.
    func processList(
        rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria, scannedAt: UInt64, surroundings: [ProcessSurroundings]
    ) -> [UInt8]

    /// The inspect view of one process as `GET /v1/processes/PID` sends it. It reads the
    /// process's /proc and ELF files: called off the event loop.
    func inspection(of record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) -> [UInt8]
}
