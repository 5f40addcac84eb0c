import Glibc
import Testing
@testable import Engine

@Suite struct InetDiagTests {
    // Real answers captured on this machine (python + NETLINK_SOCK_DIAG), filtered to the test
    // sockets: 127.0.0.1:18080 LISTEN inode 14848, [::1]:18081 LISTEN inode 14849, UDP
    // 0.0.0.0:18082 unconnected inode 14850 and UDP 127.0.0.1:18083 connected to :9 (inode 14851).
    static let tcp4 = "7c000000140002000100000091100000020a000046a000007f0000010000000000000000000000000000000000000000000000000000000000000000011000000000000000000000000000008000000000000000003a0000050008000000000008000f00000000000c00150001000000000000000600160052000000"
    static let tcp6 = "840000001400020001000000911000000a0a000046a10000000000000000000000000000000000010000000000000000000000000000000000000000021000000000000000000000000000008000000000000000013a0000050008000000000005000b000100000008000f00000000000c00150001000000000000000600160012000000"
    static let udp4 = "7c0000001400020001000000911000000207000046a20000000000000000000000000000000000000000000000000000000000000000000000000000031000000000000000000000000000000000000000000000023a0000050008000000000008000f00000000000c001500010000000000000006001600500000007c0000001400020001000000911000000201000046a300097f0000010000000000000000000000007f00000100000000000000000000000000000000041000000000000000000000000000000000000000000000033a0000050008000000000008000f00000000000c00150001000000000000000600160050000000"
    static let done = "1400000003000200010000009110000000000000"

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    func parse(_ hex: String, _ proto: TransportProtocol) -> InetDiag.Batch {
        Self.bytes(hex).withUnsafeBytes { InetDiag.parse($0, proto: proto, netns: 7) }
    }

    @Test func decodesAnIPv4Listener() {
        let batch = parse(Self.tcp4, .tcp)
        #expect(batch.sockets == [ListeningSocket(proto: .tcp, family: .ipv4, address: "127.0.0.1", port: 18080, inode: 14848, netns: 7)])
        #expect(!batch.done)
    }

    @Test func decodesAnIPv6Listener() {
        #expect(parse(Self.tcp6, .tcp).sockets.map { "\($0.address) \($0.port) \($0.inode)" } == ["::1 18081 14849"])
    }

    @Test func keepsUnconnectedUDPAndDropsConnectedUDP() {
        #expect(parse(Self.udp4, .udp).sockets.map(\.inode) == [14850])
    }

    @Test func doneEndsTheDumpEvenAfterMessages() {
        let batch = parse(Self.tcp4 + Self.done, .tcp)
        #expect(batch.done && batch.error == nil && batch.sockets.count == 1)
    }

    @Test func errorMessageCarriesTheErrno() {
        // NLMSG_ERROR with error -2 (ENOENT), followed by the echoed request header.
        let batch = parse("24000000020000000100000091100000feffffff" + "1000000014000103010000000000000000000000", .tcp)
        #expect(batch.done && batch.error == -2)
    }

    @Test func truncatedAndGarbageInputEndsTheParseSafely() {
        let full = Self.bytes(Self.tcp4)
        for cut in stride(from: 0, to: full.count, by: 7) {
            let batch = Array(full[0..<cut]).withUnsafeBytes { InetDiag.parse($0, proto: .tcp, netns: 0) }
            #expect(batch.sockets.isEmpty)
        }
        var lying = full
        lying[0] = 0xFF  // length field longer than the buffer
        #expect(lying.withUnsafeBytes { InetDiag.parse($0, proto: .tcp, netns: 0) }.sockets.isEmpty)
        lying[0] = 4  // length shorter than a header
        #expect(lying.withUnsafeBytes { InetDiag.parse($0, proto: .tcp, netns: 0) }.sockets.isEmpty)
    }

    @Test func dumpRequestMatchesTheKernelLayout() {
        let request = InetDiag.dumpRequest(proto: .tcp, family: .ipv6, sequence: 5)
        #expect(request.count == 72)
        #expect(Array(request[0..<16]) == [72, 0, 0, 0, 20, 0, 0x01, 0x03, 5, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(request[16..<24]) == [10, 6, 0, 0, 0x00, 0x04, 0, 0])  // AF_INET6, TCP, 1 << LISTEN
        #expect(Array(InetDiag.dumpRequest(proto: .udp, family: .ipv4, sequence: 1)[16..<24]) == [2, 17, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test func skipsKnownInodesBeforeDecodingThem() {
        let batch = Self.bytes(Self.udp4 + Self.tcp4).withUnsafeBytes { InetDiag.parse($0, proto: .udp, netns: 7, isKnown: { $0 == 14850 }) }
        #expect(batch.sockets.isEmpty)
        let tcp = Self.bytes(Self.tcp4).withUnsafeBytes { InetDiag.parse($0, proto: .tcp, netns: 7, isKnown: { $0 == 1 }) }
        #expect(tcp.sockets.map(\.inode) == [14848])
    }

    /// IPv4 text is formatted by hand; it must be inet_ntop's, octet by octet at every width.
    @Test func ipv4TextIsInetNtops() {
        for value in [0, 1, 9, 10, 99, 100, 199, 200, 255] {
            for position in 0..<4 {
                var bytes: [UInt8] = [127, 0, 0, 1]
                bytes[position] = UInt8(value)
                var reference = [CChar](repeating: 0, count: 16)
                _ = inet_ntop(AF_INET, bytes, &reference, 16)
                #expect(InetAddressFormat.string(family: .ipv4, bytes: bytes) == String(cString: reference))
            }
        }
        #expect(InetAddressFormat.string(family: .ipv6, bytes: [UInt8](repeating: 0, count: 15) + [1]) == "::1")
        #expect(InetAddressFormat.string(family: .ipv6, bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]) == "::ffff:10.0.0.1")
    }
}
