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
                o.key("comm"); o.string(k.comm)
                if let raw = k.commBytes { o.key("comm_bytes"); o.base64(raw) }
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
            case .changed(_, let record):
                o.key("time"); o.string(time)
                o.key("type"); o.string("changed")
                ProcessJSON.writeFields(record, to: &o)
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

    static func text(_ published: TimedEvent) -> String {
        let event = published.event
        let time = published.time
        func row(_ time: UInt64, _ kind: String, _ pid: Int32, _ comm: String, _ rest: String) -> String {
            "\(WallClock.timeOfDay(time).padding(to: 13)) \(kind.uppercased().padding(to: 10)) \(String(pid).padding(to: 8)) "
                + "\(SafeText.sanitize(comm).padding(to: 16)) \(rest)".trimmingTrailingSpaces() + "\n"
        }
        switch event {
        case .kernel(let k, _):
            guard k.isSocketEvent else {
                return row(time, k.kind.rawValue, k.pid, k.comm, k.kind == .exit ? "" : "ppid \(k.ppid)")
            }
            let proto = (k.proto?.rawValue ?? "#\(k.protocolNumber)").padding(to: 6)
            let address = k.address.padding(to: 24)
            let result = k.kind == .bind ? ErrnoName.of(result: k.result) : ""
            return row(time, k.kind.rawValue, k.pid, k.comm, "\(proto) \(address) \(String(k.port).padding(to: 6)) \(result)")
        case .created(let r), .deleted(let r), .changed(_, let r):
            return row(time, event.typeName, r.pid, r.comm, "\(PortText.summary(r.ports))  \(SafeText.sanitize(r.exe ?? "?"))")
        case .matched(let r, let verdict):
            return row(time, "matched", r.pid, r.comm, "\(PortText.summary(r.ports))  \(SafeText.sanitize(verdict.summary))")
        case .unmatched(let r, let reason):
            return row(time, "unmatched", r.pid, r.comm, reason)
        case .info(let notice):
            return "\(WallClock.timeOfDay(time).padding(to: 13)) INFO       \(notice.message)\n"
        }
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
