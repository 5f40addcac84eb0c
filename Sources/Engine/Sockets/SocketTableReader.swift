import Glibc

/// Which source a socket table came from.
public enum SocketTableSource: String, Sendable {
    case netlink
    case procNet = "proc-net"
}

/// Reads the listening sockets of one network namespace: netlink sock_diag first, the
/// `/proc/PID/net/*` text tables when netlink is unavailable.
public struct SocketTableReader: Sendable {
    public let procRoot: String
    public let forceProcNet: Bool

    public init(procRoot: String = "/proc", forceProcNet: Bool = false) {
        self.procRoot = procRoot
        self.forceProcNet = forceProcNet
    }

    public struct Table: Sendable {
        public var sockets: [ListeningSocket]
        public var source: SocketTableSource
        /// Why netlink failed, when /proc/net stood in for it (nil when /proc/net was asked for).
        public var fallbackReason: String?
    }

    /// The table of namespace `netns`, entered through `pid` when it is not our own.
    public func read(netns: UInt64, via pid: Int32, isOwn: Bool) -> Table {
        var reason: String?
        if !forceProcNet {
            do {
                let fd = isOwn
                    ? try NetlinkSocketTable.open()
                    : try NetworkNamespace.run(inNamespaceOf: pid, procRoot: procRoot) { try NetlinkSocketTable.open() }
                defer { close(fd) }
                return Table(sockets: try NetlinkSocketTable.read(fd: fd, netns: netns), source: .netlink)
            } catch {
                reason = "\(error)"
            }
        }
        // /proc/PID/net shows the namespace of that pid, so no setns is needed here.
        let base = isOwn ? "\(procRoot)/self/net" : "\(procRoot)/\(pid)/net"
        var sockets: [ListeningSocket] = []
        for (file, proto, family) in [
            ("tcp", TransportProtocol.tcp, AddressFamily.ipv4), ("tcp6", .tcp, .ipv6),
            ("udp", .udp, .ipv4), ("udp6", .udp, .ipv6),
        ] {
            if let text = SystemFiles.readText("\(base)/\(file)") {
                sockets += ProcNetParser.parse(text, proto: proto, family: family, netns: netns)
            }
        }
        return Table(sockets: sockets, source: .procNet, fallbackReason: reason)
    }
}
