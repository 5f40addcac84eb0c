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
            o.key("hostname"); o.string(hostname())
            o.key("processes")
            let surroundings = known ?? ProcessSurroundings.read(pids: rows.map(\.0.pid))
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
}

/// The kernel's node name (`uname -n`): which machine a saved document describes.
private func hostname() -> String {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "" }
    return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
