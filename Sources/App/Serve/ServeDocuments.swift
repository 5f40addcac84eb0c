import Agent
import Engine

/// The agent's documents are those of `list --json`, `watch --json` and the monitor's inspect
/// view, written by the same code.
struct ServeDocuments: AgentDocuments {
    var discotopVersion: String { DiscotopVersion.string }

    func eventLine(_ event: TimedEvent, state: EngineState) -> [UInt8]? {
        WatchLine.json(event, state: state)
    }

    func processList(
        rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria, scannedAt: UInt64, surroundings: [ProcessSurroundings]
    ) -> [UInt8] {
        ListJSON.document(rows: rows, snapshot: snapshot, criteria: criteria, scannedAt: scannedAt, surroundings: surroundings)
    }

    func inspection(of record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) -> [UInt8] {
        InspectJSON.document(Inspection.of(record, verdict: verdict, criteria: criteria))
    }
}
