import Engine

/// `discotop list --json`: one document.
enum ListJSON {
    static func document(rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria) -> [UInt8] {
        var document: [UInt8] = []
        write(rows: rows, snapshot: snapshot, criteria: criteria) { document += $0 }
        return document
    }

    /// Streams the document to `sink` in chunks, ending with a newline.
    static func write(
        rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria, to sink: @escaping ([UInt8]) -> Void
    ) {
        let report = snapshot.report
        var json = JSONWriter(sink: sink)
        json.object { o in
            o.key("processes")
            o.array { a in
                for (record, verdict) in rows {
                    ProcessJSON.write(record, verdict: verdict, to: &a)
                    a.flushIfLarge()
                }
            }
            o.key("criteria"); o.string(criteria.description)
            o.key("scan")
            o.object { s in
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
