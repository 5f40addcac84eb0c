import Engine
import Foundation

/// `discotop list --json`: one document.
enum ListJSON {
    struct Document: Encodable {
        var processes: [ProcessJSON]
        var criteria: String
        var scan: ScanJSON
    }

    struct ScanJSON: Encodable {
        var duration_ms: Double
        var source: String
        var namespaces: Int
        var denied_pids: [Int32]
        var unowned_sockets: Int
    }

    static func document(rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria) throws -> String {
        let report = snapshot.report
        let document = Document(
            processes: rows.map { ProcessJSON($0.0, verdict: $0.1) },
            criteria: criteria.description,
            scan: ScanJSON(
                duration_ms: Double(report.durationNanos) / 1e6, source: report.source, namespaces: report.namespaces,
                denied_pids: report.deniedPIDs, unowned_sockets: report.unownedSockets))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
