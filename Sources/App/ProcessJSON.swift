import Engine

/// The public JSON shape of a process, shared by `list --json` and `watch --json`. Field names
/// are an interface that scripts rely on: add fields, never rename.
enum ProcessJSON {
    static func write(_ record: ProcessRecord, verdict: MatchVerdict?, to json: inout JSONWriter) {
        json.object { o in
            writeFields(record, to: &o)
            o.key("matched"); o.bool(verdict?.matched ?? false)
            if let verdict, verdict.matched {
                o.key("match_reasons"); o.array { a in for reason in verdict.reasons { a.string(reason) } }
            }
        }
    }

    /// The process's own fields, into an object already open (watch lines add their own).
    static func writeFields(_ record: ProcessRecord, to o: inout JSONWriter) {
        o.key("pid"); o.number(record.pid)
        o.key("start_time"); o.number(record.identity.startTime)
        o.key("ppid"); o.number(record.ppid)
        o.key("comm"); o.string(record.comm)
        o.key("exe"); o.optional(record.exe) { $0.string($1) }
        o.key("uid"); o.number(record.uid)
        o.key("user"); o.string(record.user)
        if let netns = record.netns { o.key("netns"); o.number(netns) }
        // null when unknown (permission denied): never an empty list in that case.
        o.key("ports"); o.optional(record.ports) { w, ports in w.array { a in for port in ports { PortJSON.write(port, to: &a) } } }
        o.key("ports_known"); o.bool(record.ports != nil)
    }
}

enum PortJSON {
    static func write(_ held: HeldSocket, to json: inout JSONWriter) {
        json.object { o in
            o.key("proto"); o.string(held.socket.proto.rawValue)
            o.key("family"); o.string(held.socket.family.rawValue)
            o.key("address"); o.string(held.socket.address)
            o.key("port"); o.number(held.socket.port)
            o.key("fd"); o.number(held.fd)
            o.key("inode"); o.number(held.socket.inode)
        }
    }
}
