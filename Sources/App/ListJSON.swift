import Engine
import Glibc

/// `discotop list --json`: one document, described by docs/schema/list.schema.json.
enum ListJSON {
    /// Raised when a field changes meaning or goes away; adding a field keeps it.
    static let schemaVersion = 1

    /// `scannedAt` is wall-clock nanoseconds when the scan began.
    /// `surroundings`, one per row, when the caller already has them; nil reads them now.
    static func document(
        rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria, scannedAt: UInt64, surroundings: [ProcessSurroundings]? = nil
    ) -> [UInt8] {
        var document: [UInt8] = []
        write(rows: rows, snapshot: snapshot, criteria: criteria, scannedAt: scannedAt, surroundings: surroundings) { document += $0 }
        return document
    }

    /// The document of an engine's state, every process with its verdict, as `serve`'s
    /// /v1/processes and the monitor's Ctrl-S give it. Nil before the first full scan: there
    /// is no scan for the document to describe.
    static func document(of state: EngineState) -> [UInt8]? {
        var document: [UInt8] = []
        return write(state: state) { document += $0 } == nil ? nil : document
    }

    /// Streams the document of `state` to `sink`; the number of processes it holds, nil
    /// (and nothing written) before the first full scan.
    @discardableResult
    static func write(state: EngineState, to sink: @escaping ([UInt8]) -> Void) -> Int? {
        guard let report = state.lastFullScan else { return nil }
        let processes = state.processes
        let rows = processes.map { ($0, state.verdicts[$0.identity] ?? .noCriteria) }
        write(rows: rows, snapshot: Snapshot(processes: processes, report: report), criteria: state.criteria, scannedAt: state.lastFullScanAt, to: sink)
        return rows.count
    }

    /// Streams the document to `sink` in chunks, ending with a newline.
    static func write(
        rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria, scannedAt: UInt64,
        surroundings known: [ProcessSurroundings]? = nil, to sink: @escaping ([UInt8]) -> Void
    ) {
        let report = snapshot.report
        var json = JSONWriter(sink: sink)
        json.object { o in
            o.key("schema_version"); o.number(schemaVersion)
            o.key("discotop_version"); o.string(DiscotopVersion.string)
            o.key("hostname"); o.string(Self.hostname())
            o.key("processes")
            let surroundings = known ?? surroundings(of: rows.map(\.0.pid), scanned: snapshot.surroundings)
            o.array { a in
                for ((record, verdict), around) in zip(rows, surroundings) {
                    ProcessJSON.write(record, verdict: verdict, surroundings: around, criteria: criteria, to: &a)
                    a.flushIfLarge()
                }
            }
            o.key("criteria"); o.string(criteria.description)
            o.key("scan")
            o.object { s in
                s.key("time"); s.string(WallClock.rfc3339(scannedAt))
                s.key("duration_ms"); s.number((Double(report.durationNanos) / 1e4).rounded() / 100)
                s.key("source"); s.string(report.source)
                s.key("namespaces"); s.number(report.namespaces)
                s.key("denied_pids"); s.array { a in for pid in report.deniedPIDs { a.number(pid) } }
                s.key("denied_kernel_threads"); s.number(report.deniedKernelThreads)
                s.key("unowned_sockets"); s.number(report.unownedSockets)
            }
        }
        json.raw(UInt8(ascii: "\n"))
        json.finish()
    }

    /// The kernel's node name (`uname -n`): which machine a saved document describes.
    static func hostname() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Each pid's surroundings: as the scan read them, else (port-less processes, /proc scans)
/// read now.
private func surroundings(of pids: [Int32], scanned: [Int32: ProcessSurroundings]) -> [ProcessSurroundings] {
    let missing = pids.filter { scanned[$0] == nil }
    let read = Dictionary(zip(missing, ProcessSurroundings.read(pids: missing)), uniquingKeysWith: { first, _ in first })
    return pids.map { scanned[$0] ?? read[$0] ?? ProcessSurroundings() }
}
