import CLinux

/// A socket a kernel event announced but did not fully describe: an auto-bound listen (the
/// state tracepoint fires before the port is chosen) or a bind seen by a cgroup hook (no inode).
public struct SocketHint: Sendable, Hashable {
    public var inode: UInt64?
    public var proto: TransportProtocol?
    public var port: UInt16?

    public init(inode: UInt64? = nil, proto: TransportProtocol? = nil, port: UInt16? = nil) {
        self.inode = inode
        self.proto = proto
        self.port = port
    }

    func matches(_ socket: ListeningSocket) -> Bool {
        if let inode, inode != socket.inode { return false }
        if let proto, proto != socket.proto { return false }
        if let port, port != socket.port { return false }
        return true
    }
}

/// Reads a socket of another process through a pidfd_getfd duplicate: one descriptor, in
/// O(1), where reading the namespace's whole socket table would cost O(sockets).
enum ForeignSocket {
    /// How many unknown descriptors of one process a hint without an inode may try, newest first.
    static let attemptsPerHint = 32

    /// The socket behind `fd` of `pid` if it is a listener (TCP in LISTEN, or bound, unconnected UDP).
    static func listening(pid: Int32, fd: Int32) -> ListeningSocket? {
        var info = discotop_socket_info()
        guard discotop_foreign_socket(pid, fd, &info) == 0,
              let family = SocketCodes.family(UInt16(truncatingIfNeeded: info.family)),
              let proto = SocketCodes.transport(UInt16(truncatingIfNeeded: info.protocol)), info.port != 0
        else { return nil }
        switch proto {
        case .tcp: guard info.listening != 0 else { return nil }
        case .udp: guard info.connected == 0 else { return nil }
        }
        return ListeningSocket(
            proto: proto, family: family, address: SocketCodes.address(family: family, bytes: info.address), port: info.port,
            inode: info.inode, netns: info.netns)
    }

    /// The listeners `hints` announce among `pid`'s socket descriptors that `known` lacks.
    /// `look` reads the socket behind one of `pid`'s descriptors (tests count the calls).
    static func find(
        _ hints: [SocketHint], pid: Int32, references: [SocketReference], known: [UInt64: ListeningSocket],
        look: ((Int32) -> ListeningSocket?)? = nil
    ) -> [ListeningSocket] {
        let look = look ?? { listening(pid: pid, fd: $0) }
        let unknown = references.filter { $0.pid == pid && known[$0.inode] == nil }.sorted { $0.fd > $1.fd }
        // Each descriptor is looked at once per call, however many hints there are: a process
        // that binds thousands of UDP sockets in a burst sends thousands of hints in one batch,
        // and trying up to attemptsPerHint descriptors (a dozen syscalls each) per hint stalled
        // the engine for seconds, long enough for the ring buffer to overflow.
        var looked: [Int32: ListeningSocket?] = [:]
        func socket(behind reference: SocketReference) -> ListeningSocket? {
            if let seen = looked[reference.fd] { return seen }
            let socket = look(reference.fd)
            looked[reference.fd] = .some(socket)
            return socket
        }
        var found: [ListeningSocket] = []
        var foundInodes = Set<UInt64>()
        for hint in hints {
            let candidates = hint.inode.map { inode in unknown.filter { $0.inode == inode } } ?? Array(unknown.prefix(attemptsPerHint))
            for reference in candidates where !foundInodes.contains(reference.inode) {
                if let socket = socket(behind: reference), hint.matches(socket) {
                    found.append(socket)
                    foundInodes.insert(reference.inode)
                    break
                }
            }
        }
        return found
    }
}
