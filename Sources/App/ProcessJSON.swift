import Engine

/// The public JSON shape of a process, shared by `list --json` and `watch --json`. Field names
/// are an interface that scripts rely on: add fields, never rename.
enum ProcessJSON {
    static func write(_ record: ProcessRecord, verdict: MatchVerdict?, to json: inout JSONWriter) {
        json.object { o in
            writeFields(record, to: &o)
            o.key("matched"); o.bool(verdict?.matched ?? false)
            // Without criteria there is nothing to say about matching beyond `matched: false`.
            if let verdict, verdict != .noCriteria { writeVerdict(verdict, to: &o) }
        }
    }

    /// Which selectors picked the process and why, into an object already open.
    static func writeVerdict(_ verdict: MatchVerdict, to o: inout JSONWriter) {
        o.key("match"); o.string(verdict.state.rawValue)
        if !verdict.selectors.isEmpty {
            o.key("selectors"); o.array { a in for label in verdict.selectors { a.string(label) } }
        }
        if verdict.state != .unmatched {
            o.key("match_reasons"); o.array { a in for reason in verdict.reasons { a.string(reason) } }
        }
        if let name = verdict.serviceName { o.key("service_name"); o.string(name) }
        if let namespace = verdict.serviceNamespace { o.key("service_namespace"); o.string(namespace) }
        if let parent = verdict.inheritedFrom { o.key("inherited_from"); o.number(parent) }
        if let until = verdict.pendingUntil, verdict.state == .pending { o.key("pending_until"); o.string(WallClock.rfc3339(until)) }
        if !verdict.matched, let failure = verdict.failure { o.key("match_failure"); o.string(failure) }
    }

    /// The process's own fields, into an object already open (watch lines add their own).
    static func writeFields(_ record: ProcessRecord, to o: inout JSONWriter) {
        o.key("pid"); o.number(record.pid)
        o.key("start_time"); o.number(record.identity.startTime)
        o.key("ppid"); o.number(record.ppid)
        o.key("comm"); o.string(record.comm)
        // Only for names that are not UTF-8: `comm` then has U+FFFD where the bytes were.
        if let raw = record.commBytes { o.key("comm_bytes"); o.base64(raw) }
        o.key("exe"); o.optional(record.exe) { $0.string($1) }
        if let raw = record.exeBytes { o.key("exe_bytes"); o.base64(raw) }
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
