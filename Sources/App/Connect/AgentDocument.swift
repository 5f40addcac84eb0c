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
        do throws(JSONReader.Failure) {
            return try JSONReader.read(body, read)
        } catch {
            throw .notDiscotop(url, reason: "its /v1/processes is not a list document (\(SafeText.sanitize(error.description)))")
        }
    }

    /// The document's fields, in its own names; those it adds later are skipped.
    private static func read(_ reader: inout JSONReader) throws(JSONReader.Failure) -> AgentDocument {
        var hostname: String?
        var version: String?
        var criteria: String?
        var rows: [(ProcessRecord, MatchVerdict)]?
        var scan: (time: UInt64, report: ScanReport)?
        try reader.object { reader, key throws(JSONReader.Failure) in
            switch key {
            case "hostname": hostname = try reader.string()
            case "discotop_version": version = try reader.string()
            case "criteria": criteria = try reader.string()
            case "processes":
                var read: [(ProcessRecord, MatchVerdict)] = []
                try reader.array { reader, _ throws(JSONReader.Failure) in
                    let process = try ProcessWire.read(&reader)
                    read.append((process.record, process.verdict))
                }
                rows = read
            case "scan": scan = try readScan(&reader)
            default: try reader.skip()
            }
        }
        guard let version else { throw reader.missing("discotop_version") }
        guard let hostname else { throw reader.missing("hostname") }
        guard let rows else { throw reader.missing("processes") }
        guard let criteria else { throw reader.missing("criteria") }
        guard let scan else { throw reader.missing("scan") }
        return AgentDocument(
            hostname: hostname, discotopVersion: version, criteria: criteria, scannedAt: scan.time, report: scan.report, rows: rows)
    }

    private static func readScan(_ reader: inout JSONReader) throws(JSONReader.Failure) -> (time: UInt64, report: ScanReport) {
        var time: String?
        var duration: Double?
        var source: String?
        var namespaces: Int?
        var denied: [Int32]?
        var deniedKernelThreads: Int?
        var unowned: Int?
        try reader.object { reader, key throws(JSONReader.Failure) in
            switch key {
            case "time": time = try reader.string()
            case "duration_ms": duration = try reader.double()
            case "source": source = try reader.string()
            case "namespaces": namespaces = try reader.integer()
            case "denied_pids": denied = try reader.list { reader throws(JSONReader.Failure) in try reader.integer() }
            case "denied_kernel_threads": deniedKernelThreads = try reader.integer()
            case "unowned_sockets": unowned = try reader.integer()
            default: try reader.skip()
            }
        }
        guard let time else { throw reader.missing("time") }
        guard let duration else { throw reader.missing("duration_ms") }
        guard let source else { throw reader.missing("source") }
        guard let namespaces else { throw reader.missing("namespaces") }
        guard let denied else { throw reader.missing("denied_pids") }
        guard let deniedKernelThreads else { throw reader.missing("denied_kernel_threads") }
        guard let unowned else { throw reader.missing("unowned_sockets") }
        var report = ScanReport()
        report.durationNanos = UInt64(max(0, duration) * 1e6)
        report.source = source
        report.namespaces = namespaces
        report.deniedPIDs = denied
        report.deniedKernelThreads = deniedKernelThreads
        report.unownedSockets = unowned
        return (WallClock.parseRFC3339(time) ?? 0, report)
    }

    /// What a JSONDecoder error says, as the reader's failures do (the inspect view is still decoded by one).
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
}

/// The one check every agent answer passes first: it is JSON from a discotop, of a schema
/// version this one reads. The writers put `schema_version` first (ListJSON, InspectJSON), so
/// this reads a few bytes and not a document of megabytes.
enum AgentSchema {
    /// Enough of a document's start for `check`: the key and a version of up to 9 digits.
    static let prefixBytes = #"{"schema_version":"#.utf8.count + 10

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
