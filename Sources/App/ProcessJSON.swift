import Engine

/// The public JSON shape of a process, shared by `list --json` and `watch --json`. Field names
/// are an interface that scripts rely on: add fields, never rename.
enum ProcessJSON {
    /// A process of `list --json`: its fields, how it matched, and where it runs.
    static func write(
        _ record: ProcessRecord, verdict: MatchVerdict?, surroundings: ProcessSurroundings, criteria: Criteria, to json: inout JSONWriter
    ) {
        json.object { o in
            writeFields(record, to: &o)
            o.key("matched"); o.bool(verdict?.matched ?? false)
            writeVerdict(verdict ?? .noCriteria, to: &o)
            SurroundingsJSON.write(surroundings, verdict: verdict ?? .noCriteria, criteria: criteria, to: &o)
        }
    }

    /// Which selectors picked the process and why, into an object already open. Every field is
    /// always there, null or empty when it does not apply: scripts index without checking.
    static func writeVerdict(_ verdict: MatchVerdict, to o: inout JSONWriter) {
        o.key("match"); o.string(verdict.state.rawValue)
        o.key("selectors"); o.array { a in for label in verdict.selectors { a.string(label) } }
        o.key("match_reasons"); o.array { a in if verdict.state != .unmatched { for reason in verdict.reasons { a.string(reason) } } }
        o.key("service_name"); o.optional(verdict.serviceName) { $0.string($1) }
        o.key("service_namespace"); o.optional(verdict.serviceNamespace) { $0.string($1) }
        o.key("inherited_from"); o.optional(verdict.inheritedFrom) { $0.number($1) }
        o.key("pending_until"); o.optional(verdict.state == .pending ? verdict.pendingUntil : nil) { $0.string(WallClock.rfc3339($1)) }
        o.key("match_failure"); o.optional(verdict.matched ? nil : verdict.failure) { $0.string($1) }
    }

    /// The process's own fields, into an object already open (watch lines add their own).
    static func writeFields(_ record: ProcessRecord, to o: inout JSONWriter) {
        o.key("pid"); o.number(record.pid)
        o.key("start_time"); o.number(record.identity.startTime)
        o.key("started_at"); o.string(WallClock.rfc3339(ProcessClock.startedAt(startTicks: record.identity.startTime)))
        o.key("ppid"); o.number(record.ppid)
        o.key("comm"); o.string(record.comm)
        // Bytes only for names that are not UTF-8: `comm` then has U+FFFD where they were.
        o.key("comm_bytes"); o.optional(record.commBytes) { $0.base64($1) }
        o.key("exe"); o.optional(record.exe) { $0.string($1) }
        o.key("exe_bytes"); o.optional(record.exeBytes) { $0.base64($1) }
        o.key("uid"); o.number(record.uid)
        o.key("user"); o.string(record.user)
        o.key("netns"); o.optional(record.netns) { $0.number($1) }
        o.key("ports"); writePorts(record.ports, to: &o)
        o.key("ports_known"); o.bool(record.ports != nil)
    }
}

extension ProcessJSON {
    /// A port list; null when unknown (permission denied), never an empty list in that case.
    static func writePorts(_ ports: [HeldSocket]?, to o: inout JSONWriter) {
        o.optional(ports) { w, ports in w.array { a in for port in ports { PortJSON.write(port, to: &a) } } }
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
