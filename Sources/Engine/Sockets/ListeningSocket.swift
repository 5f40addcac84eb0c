/// Transport protocol of a listening socket.
public enum TransportProtocol: String, Sendable, Hashable, Comparable, Codable {
    case tcp, udp
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Address family of a listening socket.
public enum AddressFamily: String, Sendable, Hashable, Comparable, Codable {
    case ipv4, ipv6
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A TCP socket in LISTEN or a bound, unconnected UDP socket. Client (ephemeral) ports are
/// never represented: Beyla counts every local port and its lists grow without bound.
public struct ListeningSocket: Sendable, Hashable, Comparable {
    // Stored widest first: Swift lays fields out in this order, and so the socket is 36 bytes
    // with room for a `HeldSocket`'s fd in its padding (40 for both), where the order of the
    // initializer made it 48 and 56. A scan at 10,000 processes keeps 40,000 of each.
    /// Printable local address, e.g. `127.0.0.1` or `::`.
    public var address: String
    /// sockfs inode: unique on the whole system, across network namespaces.
    public var inode: UInt64
    /// Inode of the network namespace the socket lives in.
    public var netns: UInt64
    public var port: UInt16
    public var proto: TransportProtocol
    public var family: AddressFamily

    public init(
        proto: TransportProtocol, family: AddressFamily, address: String, port: UInt16,
        inode: UInt64, netns: UInt64 = 0
    ) {
        self.proto = proto
        self.family = family
        self.address = address
        self.port = port
        self.inode = inode
        self.netns = netns
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.port, a.proto, a.family, a.address, a.inode) < (b.port, b.proto, b.family, b.address, b.inode)
    }
}

/// A listening socket as held by one process: the socket plus the descriptor that holds it.
public struct HeldSocket: Sendable, Hashable, Comparable {
    public var socket: ListeningSocket
    /// The lowest fd number under which the process holds the socket.
    public var fd: Int32

    public init(socket: ListeningSocket, fd: Int32) {
        self.socket = socket
        self.fd = fd
    }

    public static func < (a: Self, b: Self) -> Bool { a.socket < b.socket }
}
