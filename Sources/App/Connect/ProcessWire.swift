import Engine
import Foundation

/// A process as `ProcessJSON` writes it, read back: its fields, and its verdict where the line
/// carries one (`list` documents and `matched` lines do; `created` lines do not).
struct ProcessWire: Decodable {
    var pid: Int32
    var start_time: UInt64
    var ppid: Int32
    var comm: String
    var comm_bytes: String?
    var exe: String?
    var exe_bytes: String?
    var uid: UInt32
    var user: String
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

    struct PortWire: Decodable {
        var proto: TransportProtocol
        var family: AddressFamily
        var address: String
        var port: UInt16
        var fd: Int32
        var inode: UInt64
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
