import Engine
import Foundation

/// The `list --json` document (docs/schema/list.schema.json) read back: what `GET /v1/processes`
/// answers, as records and verdicts the views already know how to draw. Fields the document
/// adds later are ignored; those it has always had are required.
struct AgentDocument: Sendable {
    var hostname: String
    var discotopVersion: String
    var criteria: String
    var scannedAt: UInt64
    var report: ScanReport
    var rows: [(ProcessRecord, MatchVerdict)]

    /// Whether the agent runs with criteria (its document names them as `Criteria` does).
    var agentHasCriteria: Bool { criteria != Criteria().description }

    /// Checks that `body` is an agent's document this client reads, before decoding it whole.
    static func decode(_ body: [UInt8], from url: AgentURL) throws(ConnectFailure) -> AgentDocument {
        try AgentSchema.check(body, from: url)
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch {
            throw .notDiscotop(url, reason: "its /v1/processes is not a list document (\(SafeText.sanitize(Self.describe(error))))")
        }
        var report = ScanReport()
        report.durationNanos = UInt64(max(0, wire.scan.duration_ms) * 1e6)
        report.source = wire.scan.source
        report.namespaces = wire.scan.namespaces
        report.deniedPIDs = wire.scan.denied_pids
        report.deniedKernelThreads = wire.scan.denied_kernel_threads
        report.unownedSockets = wire.scan.unowned_sockets
        return AgentDocument(
            hostname: wire.hostname, discotopVersion: wire.discotop_version, criteria: wire.criteria,
            scannedAt: WallClock.parseRFC3339(wire.scan.time) ?? 0, report: report, rows: wire.processes.map { ($0.record, $0.verdict) })
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: "no \(Self.path(context.codingPath + [key]))"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            context.codingPath.isEmpty ? "not JSON" : "bad \(Self.path(context.codingPath))"
        default: "not JSON"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    // The document's own names, so the mapping to them is checked by the compiler once.
    private struct Wire: Decodable {
        var discotop_version: String
        var hostname: String
        var processes: [ProcessWire]
        var criteria: String
        var scan: Scan
    }

    private struct Scan: Decodable {
        var time: String
        var duration_ms: Double
        var source: String
        var namespaces: Int
        var denied_pids: [Int32]
        var denied_kernel_threads: Int
        var unowned_sockets: Int
    }

}

/// The one check every agent answer passes first: it is JSON from a discotop, of a schema
/// version this one reads. The writers put `schema_version` first (ListJSON, InspectJSON), so
/// this reads a few bytes and not a document of megabytes.
enum AgentSchema {
    static func check(_ body: [UInt8], from url: AgentURL) throws(ConnectFailure) {
        let prefix = Array(#"{"schema_version":"#.utf8)
        guard body.count > prefix.count, Array(body[..<prefix.count]) == prefix else {
            throw .notDiscotop(url, reason: "its answer is not a discotop JSON document")
        }
        var version = 0
        var index = prefix.count
        while index < body.count, index < prefix.count + 9, body[index] >= UInt8(ascii: "0"), body[index] <= UInt8(ascii: "9") {
            version = version * 10 + Int(body[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > prefix.count else { throw .notDiscotop(url, reason: "its schema_version is not a number") }
        guard version == ListJSON.schemaVersion else { throw .versionMismatch(url, theirs: version, ours: ListJSON.schemaVersion) }
    }
}
