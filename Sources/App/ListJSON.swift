import Engine

/// `discotop list --json`: one document.
enum ListJSON {
    static func document(rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria) -> [UInt8] {
        let report = snapshot.report
        // About 300 bytes per process and 130 per port: one allocation instead of regrowing.
        let ports = rows.reduce(0) { $0 + ($1.0.ports?.count ?? 0) }
        var json = JSONWriter(capacity: 512 + 300 * rows.count + 130 * ports)
        json.object { o in
            o.key("processes")
            o.array { a in for (record, verdict) in rows { ProcessJSON.write(record, verdict: verdict, to: &a) } }
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
        return json.bytes + [UInt8(ascii: "\n")]
    }
}
