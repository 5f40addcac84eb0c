import Engine

/// One `watch --json` line from an agent's `/v1/events`, read back into the event it reports,
/// so that `watch --connect` prints it as `watch` does and the monitor draws it in its panes.
enum AgentEventLine {
    enum Decoded {
        case event(TimedEvent)
        /// Notices are the agent's own (its hooks, its lost events): said as it worded them.
        case info(time: UInt64, message: String)
    }

    /// The line's `type`, read without decoding the line: a stream's snapshot is thousands
    /// of `created` lines that a reader of socket events skips.
    static func type(of line: [UInt8]) -> String? {
        let key = Array(#""type":""#.utf8)
        guard line.count > key.count, let start = (0...(line.count - key.count)).first(where: { line[$0..<($0 + key.count)].elementsEqual(key) }) else { return nil }
        let value = line[(start + key.count)...].prefix { $0 != UInt8(ascii: "\"") }
        return String(decoding: value, as: UTF8.self)
    }

    static func decode(_ line: [UInt8]) -> Decoded? {
        guard let wire = try? JSONReader.read(line, Wire.read), let type = wire.type, let time = wire.time.flatMap(WallClock.parseRFC3339) else { return nil }
        let process = wire.process
        if let kind = KernelEvent.Kind(rawValue: type) {
            let event = KernelEvent(
                kind: kind, pid: process.pid, tid: wire.tid ?? process.pid, ppid: process.ppid, result: wire.result ?? 0,
                netns: process.netns ?? 0, inode: wire.inode ?? 0, family: wire.family.flatMap(AddressFamily.init(rawValue:)),
                proto: wire.proto.flatMap(TransportProtocol.init(rawValue:)), protocolNumber: 0, port: wire.port ?? 0,
                address: wire.address ?? "", comm: process.comm, commBytes: nil, startTime: wire.startTime, uid: wire.uid)
            // The agent sends only what concerns a listener or its criteria.
            return .event(TimedEvent(.kernel(event, relevant: true), time: time))
        }
        if type == "info" { return .info(time: time, message: wire.message ?? "") }
        // A process line: its process's fields are all there.
        guard wire.processComplete else { return nil }
        let record = process.record
        switch type {
        case "created": return .event(TimedEvent(.created(record), time: time))
        case "deleted": return .event(TimedEvent(.deleted(record), time: time))
        case "changed":
            var old = record
            old.ports = ProcessWire.held(wire.oldPorts, netns: record.netns ?? 0)
            return .event(TimedEvent(.changed(old: old, new: record), time: time))
        case "matched": return .event(TimedEvent(.matched(record, process.verdict), time: time))
        case "unmatched": return .event(TimedEvent(.unmatched(record, reason: wire.reason ?? ""), time: time))
        default: return nil
        }
    }

    /// A line's own fields, and those of the process it is about, read in one pass.
    private struct Wire {
        var time: String?
        var type: String?
        var tid: Int32?
        /// Kernel events carry these as the process does: `start_time` null, `uid` null when unknown.
        var startTime: UInt64?
        var uid: UInt32?
        var proto: String?
        var family: String?
        var address: String?
        var port: UInt16?
        var inode: UInt64?
        var result: Int32?
        var reason: String?
        var message: String?
        var oldPorts: [ProcessWire.PortWire]?
        var process = ProcessWire()
        var processComplete = false

        static func read(_ reader: inout JSONReader) throws(JSONReader.Failure) -> Wire {
            var wire = Wire()
            try reader.object { reader, key throws(JSONReader.Failure) in
                switch key {
                case "time": wire.time = try reader.string()
                case "type": wire.type = try reader.string()
                case "tid": wire.tid = try reader.integer()
                case "start_time":
                    wire.startTime = try reader.optional { reader throws(JSONReader.Failure) in try reader.integer() }
                    if let startTime = wire.startTime {
                        wire.process.start_time = startTime
                        wire.process.noteRead("start_time")
                    }
                case "uid":
                    wire.uid = try reader.optional { reader throws(JSONReader.Failure) in try reader.integer() }
                    if let uid = wire.uid {
                        wire.process.uid = uid
                        wire.process.noteRead("uid")
                    }
                case "proto": wire.proto = try reader.string()
                case "family": wire.family = try reader.string()
                case "address": wire.address = try reader.string()
                case "port": wire.port = try reader.integer()
                case "inode": wire.inode = try reader.integer()
                case "result": wire.result = try reader.integer()
                case "reason": wire.reason = try reader.string()
                case "message": wire.message = try reader.string()
                case "old_ports": wire.oldPorts = try reader.optional { reader throws(JSONReader.Failure) in try reader.list(ProcessWire.PortWire.read) }
                default: if try !wire.process.take(key, &reader) { try reader.skip() }
                }
            }
            wire.processComplete = (try? wire.process.complete(reader)) != nil
            return wire
        }
    }
}
