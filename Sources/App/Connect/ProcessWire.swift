import Engine
import Foundation

/// A process as `ProcessJSON` writes it, read back: its fields, and its verdict where the line
/// carries one (`list` documents and `matched` lines do; `created` lines do not). Read a key
/// at a time (`take`), so that a watch line's own keys can be read in the same pass.
struct ProcessWire {
    var pid: Int32 = 0
    var start_time: UInt64 = 0
    var ppid: Int32 = 0
    var comm = ""
    var comm_bytes: String?
    var exe: String?
    var exe_bytes: String?
    var uid: UInt32 = 0
    var user = ""
    var netns: UInt64?
    var ports: [PortWire]?
    var match: String?
    var selectors: [String]?
    var match_reasons: [String]?
    var service_name: String?
    var service_namespace: String?
    var inherited_from: Int32?
    var pending_until: String?
    var match_failure: String?
    /// The fields every process has, in the order of `seen`'s bits.
    private static let required = ["pid", "start_time", "ppid", "comm", "uid", "user"]
    private var seen: UInt8 = 0

    struct PortWire {
        var proto: TransportProtocol
        var family: AddressFamily
        var address: String
        var port: UInt16
        var fd: Int32
        var inode: UInt64

        static func read(_ reader: inout JSONReader) throws(JSONReader.Failure) -> PortWire {
            var proto: TransportProtocol?
            var family: AddressFamily?
            var address: String?
            var port: UInt16?
            var fd: Int32?
            var inode: UInt64?
            try reader.object { reader, key throws(JSONReader.Failure) in
                switch key {
                case "proto": proto = try reader.value(TransportProtocol.self)
                case "family": family = try reader.value(AddressFamily.self)
                case "address": address = try reader.string()
                case "port": port = try reader.integer()
                case "fd": fd = try reader.integer()
                case "inode": inode = try reader.integer()
                default: try reader.skip()
                }
            }
            guard let proto else { throw reader.missing("proto") }
            guard let family else { throw reader.missing("family") }
            guard let address else { throw reader.missing("address") }
            guard let port else { throw reader.missing("port") }
            guard let fd else { throw reader.missing("fd") }
            guard let inode else { throw reader.missing("inode") }
            return PortWire(proto: proto, family: family, address: address, port: port, fd: fd, inode: inode)
        }
    }

    /// One process object, whole.
    static func read(_ reader: inout JSONReader) throws(JSONReader.Failure) -> ProcessWire {
        var wire = ProcessWire()
        try reader.object { reader, key throws(JSONReader.Failure) in
            if try !wire.take(key, &reader) { try reader.skip() }
        }
        try wire.complete(reader)
        return wire
    }

    /// Reads `key`'s value if it is a field of a process; false leaves it to the caller.
    mutating func take(_ key: JSONReader.Key, _ reader: inout JSONReader) throws(JSONReader.Failure) -> Bool {
        switch key {
        case "pid": pid = try reader.integer()
            seen |= 1 << 0
        case "start_time": start_time = try reader.integer()
            seen |= 1 << 1
        case "ppid": ppid = try reader.integer()
            seen |= 1 << 2
        case "comm": comm = try reader.string()
            seen |= 1 << 3
        case "comm_bytes": comm_bytes = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        case "exe": exe = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        case "exe_bytes": exe_bytes = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        case "uid": uid = try reader.integer()
            seen |= 1 << 4
        case "user": user = try reader.string()
            seen |= 1 << 5
        case "netns": netns = try reader.optional { reader throws(JSONReader.Failure) in try reader.integer() }
        case "ports": ports = try reader.optional { reader throws(JSONReader.Failure) in try reader.list(PortWire.read) }
        case "match": match = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        case "selectors": selectors = try reader.optional { reader throws(JSONReader.Failure) in try reader.list { reader throws(JSONReader.Failure) in try reader.string() } }
        case "match_reasons": match_reasons = try reader.optional { reader throws(JSONReader.Failure) in try reader.list { reader throws(JSONReader.Failure) in try reader.string() } }
        case "service_name": service_name = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        case "service_namespace": service_namespace = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        case "inherited_from": inherited_from = try reader.optional { reader throws(JSONReader.Failure) in try reader.integer() }
        case "pending_until": pending_until = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        case "match_failure": match_failure = try reader.optional { reader throws(JSONReader.Failure) in try reader.string() }
        default: return false
        }
        return true
    }

    /// Notes `key` as read by a caller that read its value itself (a watch line's `start_time`
    /// and `uid`, which its kernel events may leave null).
    mutating func noteRead(_ key: String) {
        if let bit = Self.required.firstIndex(of: key) { seen |= 1 << bit }
    }

    /// Throws for a field every process has that was not read.
    func complete(_ reader: JSONReader) throws(JSONReader.Failure) {
        for (bit, key) in Self.required.enumerated() where seen & (1 << bit) == 0 { throw reader.missing(key) }
    }

    var record: ProcessRecord {
        ProcessRecord(
            identity: ProcessIdentity(pid: pid, startTime: start_time), ppid: ppid, comm: comm, exe: exe, uid: uid, user: user,
            netns: netns, ports: Self.held(ports, netns: netns ?? 0), isReady: true, commBytes: Self.bytes(comm_bytes),
            exeBytes: Self.bytes(exe_bytes))
    }

    static func held(_ ports: [PortWire]?, netns: UInt64) -> [HeldSocket]? {
        ports?.map {
            HeldSocket(socket: ListeningSocket(proto: $0.proto, family: $0.family, address: $0.address, port: $0.port, inode: $0.inode, netns: netns), fd: $0.fd)
        }
    }

    /// The verdict as the agent judged it; `noCriteria` when the line carries none.
    var verdict: MatchVerdict {
        guard let match, let state = MatchVerdict.State(rawValue: match) else { return .noCriteria }
        var verdict = MatchVerdict(state: state, selectors: selectors ?? [], reasons: match_reasons ?? [], failure: match_failure)
        verdict.serviceName = service_name
        verdict.serviceNamespace = service_namespace
        verdict.inheritedFrom = inherited_from
        verdict.pendingUntil = pending_until.flatMap(WallClock.parseRFC3339)
        return verdict
    }

    private static func bytes(_ base64: String?) -> [UInt8]? {
        base64.flatMap { Data(base64Encoded: $0).map { Array($0) } }
    }
}
