import Engine

/// One line of `discotop watch` output per engine event, in text (bindsnoop-like columns) or JSON.
enum WatchLine {
    static let header = "TIME          EVENT      PID      COMM             PROTO  ADDRESS                  PORT   RESULT / DETAIL"

    static func json(_ published: TimedEvent, state: EngineState) -> [UInt8]? {
        let event = published.event
        let time = WallClock.rfc3339(published.time)
        var json = JSONWriter(capacity: 512)
        json.object { o in
            switch event {
            case .kernel(let k, _):
                o.key("time"); o.string(time)
                o.key("type"); o.string(k.kind.rawValue)
                o.key("pid"); o.number(k.pid)
                o.key("tid"); o.number(k.tid)
                o.key("start_time"); o.optional(k.startTime) { $0.number($1) }
                o.key("started_at"); o.optional(k.startTime) { $0.string(WallClock.rfc3339(ProcessClock.startedAt(startTicks: $1))) }
                o.key("uid"); o.optional(k.uid) { $0.number($1) }
                o.key("comm"); o.string(k.comm)
                o.key("comm_bytes"); o.optional(k.commBytes) { $0.base64($1) }
                if k.isSocketEvent {
                    o.key("proto"); o.string(k.proto?.rawValue ?? "ipproto-\(k.protocolNumber)")
                    o.key("family"); o.string(k.family?.rawValue ?? "unknown")
                    o.key("address"); o.string(k.address)
                    o.key("port"); o.number(k.port)
                    o.key("inode"); o.number(k.inode)
                    o.key("netns"); o.number(k.netns)
                }
                if k.kind == .bind {
                    o.key("result"); o.number(k.result)
                    if k.result < 0 { o.key("error"); o.string(ErrnoName.of(result: k.result)) }
                }
                if k.kind == .fork || k.kind == .exec { o.key("ppid"); o.number(k.ppid) }
            case .created(let record), .deleted(let record):
                o.key("time"); o.string(time)
                o.key("type"); o.string(event.typeName)
                ProcessJSON.writeFields(record, to: &o)
            case .changed(let old, let record):
                o.key("time"); o.string(time)
                o.key("type"); o.string("changed")
                ProcessJSON.writeFields(record, to: &o)
                // Both port sets: a gained or lost port reads without keeping the last state.
                o.key("old_ports"); ProcessJSON.writePorts(old.ports, to: &o)
            case .matched(let record, let verdict):
                o.key("time"); o.string(time)
                o.key("type"); o.string("matched")
                ProcessJSON.writeFields(record, to: &o)
                o.key("criteria"); o.string(state.criteria.description)
                ProcessJSON.writeVerdict(verdict, to: &o)
            case .unmatched(let record, let reason):
                o.key("time"); o.string(time)
                o.key("type"); o.string("unmatched")
                ProcessJSON.writeFields(record, to: &o)
                o.key("reason"); o.string(reason)
            case .info(let notice):
                o.key("time"); o.string(time)
                o.key("type"); o.string("info")
                o.key("code"); o.string(notice.code)
                o.key("message"); o.string(notice.message)
                NoticeJSON.writeFields(notice, to: &o)
            }
        }
        return json.bytes + [UInt8(ascii: "\n")]
    }

    /// Every type fills the same columns, so `awk '{print $3}'` is a pid on every line and the
    /// detail starts under RESULT / DETAIL: what a column does not apply to reads `-`.
    static func text(_ published: TimedEvent) -> String {
        let event = published.event
        switch event {
        case .kernel(let k, _):
            guard k.isSocketEvent else {
                return row(published.time, k.kind.rawValue, String(k.pid), k.comm, detail: k.kind == .exit ? "" : "ppid \(k.ppid)")
            }
            return row(
                published.time, k.kind.rawValue, String(k.pid), k.comm, proto: k.proto?.rawValue ?? "#\(k.protocolNumber)",
                address: k.address, port: String(k.port), detail: k.kind == .bind ? ErrnoName.of(result: k.result) : "")
        case .created(let r), .deleted(let r):
            return row(published.time, event.typeName, String(r.pid), r.comm, detail: "\(PortText.summary(r.ports))  \(SafeText.sanitize(r.exe ?? "?"))")
        case .changed(let old, let r):
            let ports = old.socketSet == r.socketSet ? PortText.summary(r.ports) : "\(PortText.summary(old.ports)) -> \(PortText.summary(r.ports))"
            return row(published.time, "changed", String(r.pid), r.comm, detail: "\(ports)  \(SafeText.sanitize(r.exe ?? "?"))")
        case .matched(let r, let verdict):
            return row(published.time, "matched", String(r.pid), r.comm, detail: "\(PortText.summary(r.ports))  \(SafeText.sanitize(verdict.summary))")
        case .unmatched(let r, let reason):
            return row(published.time, "unmatched", String(r.pid), r.comm, detail: reason)
        case .info(let notice):
            return row(published.time, "info", "-", "-", detail: notice.message)
        }
    }

    /// One line in the header's columns; `comm` is sanitized here, the detail by the caller.
    static func row(
        _ time: UInt64, _ kind: String, _ pid: String, _ comm: String, proto: String = "-", address: String = "-",
        port: String = "-", detail: String
    ) -> String {
        let cells = [
            WallClock.timeOfDay(time).padding(to: 13), kind.uppercased().padding(to: 10), pid.padding(to: 8),
            SafeText.sanitize(comm).padding(to: 16), proto.padding(to: 6), address.padding(to: 24), port.padding(to: 6), detail,
        ]
        return cells.joined(separator: " ").trimmingTrailingSpaces() + "\n"
    }
}

extension EngineEvent {
    var typeName: String {
        switch self {
        case .kernel(let k, _): k.kind.rawValue
        case .created: "created"
        case .deleted: "deleted"
        case .changed: "changed"
        case .matched: "matched"
        case .unmatched: "unmatched"
        case .info: "info"
        }
    }
}
