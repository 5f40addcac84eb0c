@testable import App
import Engine
import Foundation
import Testing

/// `--connect` reads back what `JSONWriter` wrote (`list --json`, `watch --json`) with its own
/// reader: the same records, and the same messages for what is not a document.
@Suite struct JSONReaderTests {
    static let url = AgentURL(host: "127.0.0.1", port: 10088)

    static func record(_ pid: Int32, comm: String, exe: String?, ports: [UInt16]?, commBytes: [UInt8]? = nil) -> ProcessRecord {
        let held = ports?.map { HeldSocket(socket: ListeningSocket(proto: .tcp, family: .ipv6, address: "::", port: $0, inode: UInt64($0) * 3, netns: 7), fd: 4) }
        return ProcessRecord(
            identity: ProcessIdentity(pid: pid, startTime: UInt64(pid) * 11), ppid: 1, comm: comm, exe: exe, uid: 1000, user: "alice",
            netns: 7, ports: held, isReady: true, commBytes: commBytes)
    }

    static let rows: [(ProcessRecord, MatchVerdict)] = {
        var matched = MatchVerdict(state: .matched, selectors: ["web", "api"], reasons: ["port 8080"])
        matched.serviceName = "shop"
        matched.serviceNamespace = "prod"
        return [
            (record(10, comm: "nginx", exe: "/usr/sbin/nginx", ports: [80, 443]), matched),
            // Quotes, a backslash, a control byte, a non-ASCII and an astral character: escaped by the writer.
            (record(11, comm: "we\"ird\\\u{1}é😀", exe: nil, ports: nil, commBytes: [0xFF, 0x41]), MatchVerdict(state: .unmatched, failure: "no selector")),
            (record(12, comm: "sleep", exe: "/bin/sleep", ports: []), .noCriteria),
        ]
    }()

    static func document() -> [UInt8] {
        var report = ScanReport()
        report.source = "bpf-iterator"
        report.durationNanos = 12_345_000
        report.deniedPIDs = [3, 4]
        return ListJSON.document(
            rows: rows, snapshot: Snapshot(processes: rows.map(\.0), report: report), criteria: Criteria(), scannedAt: WallClock.now(),
            surroundings: rows.map { _ in ProcessSurroundings() })
    }

    @Test func theListDocumentReadsBackAsItsRecordsAndVerdicts() throws {
        let document = try AgentDocument.decode(Self.document(), from: Self.url)
        #expect(document.rows.map(\.0) == Self.rows.map(\.0))
        for ((_, read), (_, written)) in zip(document.rows, Self.rows) {
            #expect(read.state == written.state && read.selectors == written.selectors && read.serviceName == written.serviceName)
            #expect(read.serviceNamespace == written.serviceNamespace && read.failure == (written.matched ? nil : written.failure))
        }
        #expect(document.report.source == "bpf-iterator" && document.report.deniedPIDs == [3, 4] && document.report.durationNanos == 12_350_000)
        #expect(document.hostname == ListJSON.hostname() && document.discotopVersion == DiscotopVersion.string)
    }

    @Test func itReadsWhatFoundationReads() throws {
        // The same text as Foundation's parser takes it, escapes and all.
        let bytes = Self.document()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let processes = try #require(parsed["processes"] as? [[String: Any]])
        let document = try AgentDocument.decode(bytes, from: Self.url)
        #expect(document.rows.map(\.0.comm) == processes.map { $0["comm"] as? String ?? "" })
        #expect(document.rows[1].0.comm == "we\"ird\\\u{1}é😀")
    }

    @Test(arguments: [
        (#"{"schema_version":1,"processes":[{"start_time":1}]}"#, "no .processes[0].pid"),
        (#"{"schema_version":1,"discotop_version":"x","hostname":"h","criteria":"","scan":{},"processes":[]}"#, "no .scan.time"),
        (#"{"schema_version":1,"processes":[{"pid":"7"}]}"#, "bad .processes[0].pid"),
        (#"{"schema_version":1,"processes":[{"pid":99999999999}]}"#, "bad .processes[0].pid"),
        (#"{"schema_version":1,"processes":[{"pid":1,"ports":[{"proto":"sctp"}]}]}"#, "bad .processes[0].ports[0].proto"),
        (#"{"schema_version":1,"processes":[{"pid":1,"comm":"a\x"}]}"#, "not JSON"),
        (#"{"schema_version":1,"processes":[{"pid":1"#, "not JSON"),
        (#"{"schema_version":1,"discotop_version":"x","hostname":"h","criteria":"","processes":[],"scan":{"time":"","duration_ms":0,"#
            + #""source":"","namespaces":0,"denied_pids":[],"denied_kernel_threads":0,"unowned_sockets":0}} trailing"#, "not JSON"),
        (#"{"schema_version":1,"processes":[1,]}"#, "bad .processes[0]"),
    ])
    func whatIsNotADocumentIsSaidWhere(text: String, reason: String) {
        #expect(throws: ConnectFailure.notDiscotop(Self.url, reason: "its /v1/processes is not a list document (\(reason))")) {
            _ = try AgentDocument.decode(Array(text.utf8), from: Self.url)
        }
    }

    @Test func watchLinesReadBackAsTheirEvents() throws {
        let state = EngineState()
        let (record, verdict) = Self.rows[0]
        let bind = KernelEvent(
            kind: .bind, pid: 10, tid: 12, ppid: 1, result: -98, netns: 7, inode: 9, family: .ipv4, proto: .udp, protocolNumber: 17, port: 53,
            address: "127.0.0.1", comm: "dns", commBytes: nil, startTime: nil, uid: nil)
        let time = WallClock.now() / 1000 * 1000
        for event in [TimedEvent(.created(record), time: time), TimedEvent(.matched(record, verdict), time: time),
                      TimedEvent(.changed(old: Self.rows[2].0, new: record), time: time), TimedEvent(.kernel(bind, relevant: true), time: time)] {
            let line = try #require(WatchLine.json(event, state: state))
            guard case .event(let read)? = AgentEventLine.decode(Array(line.dropLast())) else {
                Issue.record("not read: \(String(decoding: line, as: UTF8.self))")
                continue
            }
            #expect(read.time / 1000 == event.time / 1000)
            switch (read.event, event.event) {
            case (.created(let a), .created(let b)): #expect(a == b)
            case (.matched(let a, let v), .matched(let b, let w)): #expect(a == b && v.selectors == w.selectors && v.serviceName == w.serviceName)
            case (.changed(let oldA, let a), .changed(let oldB, let b)): #expect(a == b && oldA.ports == oldB.ports)
            case (.kernel(let a, _), .kernel(let b, _)):
                #expect(a.pid == b.pid && a.tid == b.tid && a.port == b.port && a.proto == b.proto && a.result == b.result && a.startTime == nil)
            default: Issue.record("read as another event: \(read.event)")
            }
        }
        #expect(AgentEventLine.decode(Array(#"{"time":"x","type":"created"}"#.utf8)) == nil, "no time, no event")
        #expect(AgentEventLine.decode(Array(#"{"time":"2026-01-01T00:00:00Z","type":"created","pid":1}"#.utf8)) == nil, "a process line without its process")
    }
}
