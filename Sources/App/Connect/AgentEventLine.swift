import Engine
import Foundation

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

    static func decode(_ line: some Collection<UInt8>) -> Decoded? {
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(line)), let time = WallClock.parseRFC3339(wire.time) else { return nil }
        if let kind = KernelEvent.Kind(rawValue: wire.type) {
            let event = KernelEvent(
                kind: kind, pid: wire.pid ?? 0, tid: wire.tid ?? wire.pid ?? 0, ppid: wire.ppid ?? 0, result: wire.result ?? 0,
                netns: wire.netns ?? 0, inode: wire.inode ?? 0, family: wire.family.flatMap(AddressFamily.init(rawValue:)),
                proto: wire.proto.flatMap(TransportProtocol.init(rawValue:)), protocolNumber: 0, port: wire.port ?? 0,
                address: wire.address ?? "", comm: wire.comm ?? "", commBytes: nil, startTime: wire.start_time, uid: wire.uid)
            // The agent sends only what concerns a listener or its criteria.
            return .event(TimedEvent(.kernel(event, relevant: true), time: time))
        }
        if wire.type == "info" { return .info(time: time, message: wire.message ?? "") }
        guard let process = try? JSONDecoder().decode(ProcessWire.self, from: Data(line)) else { return nil }
        let record = process.record
        switch wire.type {
        case "created": return .event(TimedEvent(.created(record), time: time))
        case "deleted": return .event(TimedEvent(.deleted(record), time: time))
        case "changed":
            var old = record
            old.ports = ProcessWire.held(wire.old_ports, netns: record.netns ?? 0)
            return .event(TimedEvent(.changed(old: old, new: record), time: time))
        case "matched": return .event(TimedEvent(.matched(record, process.verdict), time: time))
        case "unmatched": return .event(TimedEvent(.unmatched(record, reason: wire.reason ?? ""), time: time))
        default: return nil
        }
    }

    private struct Wire: Decodable {
        var time: String
        var type: String
        var pid: Int32?
        var tid: Int32?
        var ppid: Int32?
        var start_time: UInt64?
        var uid: UInt32?
        var comm: String?
        var proto: String?
        var family: String?
        var address: String?
        var port: UInt16?
        var inode: UInt64?
        var netns: UInt64?
        var result: Int32?
        var reason: String?
        var message: String?
        var old_ports: [ProcessWire.PortWire]?
    }
}
