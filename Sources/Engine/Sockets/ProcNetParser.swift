/// Parses `/proc/net/{tcp,tcp6,udp,udp6}`: the fallback when netlink sock_diag is missing
/// (a kernel built without INET_DIAG, or a seccomp profile that forbids netlink).
public enum ProcNetParser {
    /// Parses a whole file; the header line and malformed lines are skipped.
    public static func parse(_ text: String, proto: TransportProtocol, family: AddressFamily, netns: UInt64) -> [ListeningSocket] {
        var sockets: [ListeningSocket] = []
        for line in text.split(separator: "\n").dropFirst() {
            if let socket = parseLine(line, proto: proto, family: family, netns: netns) { sockets.append(socket) }
        }
        return sockets
    }

    /// One line: `sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...`.
    /// Addresses are hex of the kernel's 32-bit words printed in host byte order.
    public static func parseLine(_ line: Substring, proto: TransportProtocol, family: AddressFamily, netns: UInt64) -> ListeningSocket? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 10, fields[0].hasSuffix(":") else { return nil }
        guard let (address, port) = parseEndpoint(fields[1], family: family),
              let (_, remotePort) = parseEndpoint(fields[2], family: family),
              let state = UInt8(fields[3], radix: 16),
              let inode = UInt64(fields[9])
        else { return nil }
        switch proto {
        case .tcp: guard state == InetDiag.tcpListen else { return nil }
        case .udp: guard state == InetDiag.udpUnconnected, remotePort == 0, port != 0 else { return nil }
        }
        return ListeningSocket(proto: proto, family: family, address: address, port: port, inode: inode, netns: netns)
    }

    static func parseEndpoint(_ text: Substring, family: AddressFamily) -> (String, UInt16)? {
        let parts = text.split(separator: ":")
        let hexLength = family == .ipv4 ? 8 : 32
        guard parts.count == 2, parts[0].count == hexLength, let port = UInt16(parts[1], radix: 16) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hexLength / 2)
        var index = parts[0].startIndex
        for _ in 0..<(hexLength / 8) {
            let end = parts[0].index(index, offsetBy: 8)
            guard let word = UInt32(parts[0][index..<end], radix: 16) else { return nil }
            // The word was printed from memory in host order; x86 and arm64 are little-endian.
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
            index = end
        }
        return (InetAddressFormat.string(family: family, bytes: bytes), port)
    }
}
