import Engine

/// The public JSON shape of a process, shared by `list --json` and `watch --json`. Field names
/// are an interface that scripts rely on: add fields, never rename.
struct ProcessJSON: Encodable {
    var pid: Int32
    var start_time: UInt64
    var ppid: Int32
    var comm: String
    var exe: String?
    var uid: UInt32
    var user: String
    var netns: UInt64?
    /// null when the ports are unknown (permission denied), never an empty list in that case.
    var ports: [PortJSON]?
    var ports_known: Bool
    var matched: Bool
    var match_reasons: [String]?

    init(_ record: ProcessRecord, verdict: MatchVerdict?) {
        pid = record.pid
        start_time = record.identity.startTime
        ppid = record.ppid
        comm = record.comm
        exe = record.exe
        uid = record.uid
        user = record.user
        netns = record.netns
        ports = record.ports.map { $0.map(PortJSON.init) }
        ports_known = record.ports != nil
        matched = verdict?.matched ?? false
        match_reasons = verdict.flatMap { $0.matched ? $0.reasons : nil }
    }

    // Explicit so that an unknown `exe` and unknown `ports` are written as null, not left out.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pid, forKey: .pid)
        try c.encode(start_time, forKey: .start_time)
        try c.encode(ppid, forKey: .ppid)
        try c.encode(comm, forKey: .comm)
        try c.encode(exe, forKey: .exe)
        try c.encode(uid, forKey: .uid)
        try c.encode(user, forKey: .user)
        try c.encodeIfPresent(netns, forKey: .netns)
        try c.encode(ports, forKey: .ports)
        try c.encode(ports_known, forKey: .ports_known)
        try c.encode(matched, forKey: .matched)
        try c.encodeIfPresent(match_reasons, forKey: .match_reasons)
    }

    enum CodingKeys: String, CodingKey {
        case pid, start_time, ppid, comm, exe, uid, user, netns, ports, ports_known, matched, match_reasons
    }
}

struct PortJSON: Encodable {
    var proto: String
    var family: String
    var address: String
    var port: UInt16
    var fd: Int32
    var inode: UInt64

    init(_ held: HeldSocket) {
        proto = held.socket.proto.rawValue
        family = held.socket.family.rawValue
        address = held.socket.address
        port = held.socket.port
        fd = held.fd
        inode = held.socket.inode
    }
}
