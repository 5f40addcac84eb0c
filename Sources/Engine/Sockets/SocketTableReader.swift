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

    /// The listening sockets of namespace `netns`, entered through `pid` when it is not our
    /// own, but those whose inode `isKnown`, handed to `each` batch by batch. When netlink fails part-way, /proc/net then gives
    /// the whole table again: callers key by inode. Says which source answered, and why
    /// netlink did not when /proc/net stood in for it (nil when /proc/net was asked for).
    public func read(
        netns: UInt64, via pid: Int32, isOwn: Bool, isKnown: (UInt64) -> Bool = { _ in false }, each: ([ListeningSocket]) -> Void
    )
        -> (source: SocketTableSource, fallbackReason: String?)
    {
        var reason: String?
        if !forceProcNet {
            do {
                let fd = isOwn
                    ? try NetlinkSocketTable.open()
                    : try NetworkNamespace.run(inNamespaceOf: pid, procRoot: procRoot) { try NetlinkSocketTable.open() }
                defer { close(fd) }
                try NetlinkSocketTable.read(fd: fd, netns: netns, isKnown: isKnown, each: each)
                return (.netlink, nil)
            } catch {
                reason = "\(error)"
            }
        }
        // /proc/PID/net shows the namespace of that pid, so no setns is needed here.
        let base = isOwn ? "\(procRoot)/self/net" : "\(procRoot)/\(pid)/net"
        for (file, proto, family) in [
            ("tcp", TransportProtocol.tcp, AddressFamily.ipv4), ("tcp6", .tcp, .ipv6),
            ("udp", .udp, .ipv4), ("udp6", .udp, .ipv6),
        ] {
            if let text = SystemFiles.readText("\(base)/\(file)") {
                each(ProcNetParser.parse(text, proto: proto, family: family, netns: netns).filter { !isKnown($0.inode) })
            }
        }
        return (.procNet, reason)
    }
}
