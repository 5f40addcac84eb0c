import Foundation

/// `discotop list --json`, decoded for assertions.
struct ListOutput: Decodable {
    struct Process: Decodable {
        var pid: Int32
        var start_time: UInt64
        var comm: String
        var comm_bytes: String?
        var exe: String?
        var exe_bytes: String?
        var uid: UInt32
        var user: String
        var netns: UInt64?
        var ports: [Port]?
        var ports_known: Bool
        var matched: Bool
        var match_reasons: [String]?
        var match: String?
        var selectors: [String]?
        var inherited_from: Int32?
        var pending_until: String?
        var service_name: String?
        var service_namespace: String?
        var match_failure: String?
        var started_at: String?
        var cgroup: String?
        var container_id: String?
        var container_runtime: String?
        var systemd_unit: String?
        var otel_sdk: String?
        var obi_drops: [String]?
    }

    struct Port: Decodable, Hashable {
        var proto: String
        var family: String
        var address: String
        var port: UInt16
    }

    struct Scan: Decodable {
        var source: String
        var namespaces: Int
        var denied_pids: [Int32]
        var denied_kernel_threads: Int?
        var unowned_sockets: Int
    }

    var processes: [Process]
    var scan: Scan

    static func decode(_ text: String) throws -> ListOutput {
        try JSONDecoder().decode(ListOutput.self, from: Data(text.utf8))
    }

    func process(_ pid: Int32) -> Process? { processes.first { $0.pid == pid } }
}
