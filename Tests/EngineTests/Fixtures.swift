@testable import Engine

/// Builds process records for differ and matcher tests.
enum Fixture {
    static func socket(_ port: UInt16, _ proto: TransportProtocol = .tcp, inode: UInt64? = nil) -> HeldSocket {
        HeldSocket(
            socket: ListeningSocket(proto: proto, family: .ipv4, address: "0.0.0.0", port: port, inode: inode ?? UInt64(port) * 10),
            fd: 3)
    }

    static func process(
        pid: Int32, start: UInt64 = 100, ports: [UInt16]? = [8080], exe: String? = "/usr/bin/python3", ready: Bool = true,
        comm: String = "python3", ppid: Int32 = 1, netns: UInt64? = 1
    ) -> ProcessRecord {
        ProcessRecord(
            identity: ProcessIdentity(pid: pid, startTime: start), ppid: ppid, comm: comm, exe: exe,
            uid: 0, user: "root", netns: netns, ports: ports.map { $0.map { socket($0) } }, isReady: ready)
    }

    static func snapshot(_ processes: ProcessRecord...) -> Snapshot {
        Snapshot(processes: processes, report: ScanReport())
    }

    static func snapshot(_ processes: [ProcessRecord]) -> Snapshot {
        Snapshot(processes: processes, report: ScanReport())
    }

    /// A kernel event as the watcher decodes it; `at` is monotonic nanoseconds.
    static func event(
        _ kind: KernelEvent.Kind, pid: Int32, ppid: Int32 = 1, port: UInt16 = 0, inode: UInt64 = 0,
        proto: TransportProtocol = .tcp, at: UInt64 = 1_000
    ) -> KernelEvent {
        KernelEvent(
            kind: kind, monotonicNanos: at, pid: pid, tid: pid, ppid: ppid, result: 0, netns: 1, inode: inode,
            family: .ipv4, proto: proto, protocolNumber: proto == .tcp ? 6 : 17, port: port, address: "0.0.0.0",
            comm: "python3")
    }
}
