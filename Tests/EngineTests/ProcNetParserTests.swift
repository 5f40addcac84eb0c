import Testing
@testable import Engine

@Suite struct ProcNetParserTests {
    // Real /proc/net/tcp from this machine: a listener on 127.0.0.1:18080, one on 0.0.0.0:2024,
    // and both ends of an established loopback connection (which must not count).
    static let tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:46A0 00000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 14205 2 00000000cc23692f 100 0 0 10 0
           1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1061 1 0000000076c85e89 100 0 0 10 0
           2: 0100007F:A550 0100007F:46A0 01 00000000:00000000 00:00000000 00000000     0        0 14889 2 0000000045aa1090 20 0 0 10 -1
           3: 0100007F:46A0 0100007F:A550 01 00000000:00000000 00:00000000 00000000     0        0 0 1 00000000c91703c1 20 0 0 10 -1
        """

    static let tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000001000000:46A1 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14206 1 00000000e425b195 100 0 0 10 0
        """

    static let udp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
         5790: 00000000000000000000000000000000:46A2 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 14207 2 00000000e5aac3c9 0
         5791: 0100007F:0000 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 14208 2 00000000e5aac3c9 0
        """

    @Test func keepsOnlyListeningTCP() {
        let sockets = ProcNetParser.parse(Self.tcp, proto: .tcp, family: .ipv4, netns: 9)
        #expect(sockets == [
            ListeningSocket(proto: .tcp, family: .ipv4, address: "127.0.0.1", port: 18080, inode: 14205, netns: 9),
            ListeningSocket(proto: .tcp, family: .ipv4, address: "0.0.0.0", port: 2024, inode: 1061, netns: 9),
        ])
    }

    @Test func decodesIPv6WordsInHostOrder() {
        let sockets = ProcNetParser.parse(Self.tcp6, proto: .tcp, family: .ipv6, netns: 0)
        #expect(sockets.map(\.address) == ["::1"])
        #expect(sockets.map(\.port) == [18081])
    }

    @Test func udpKeepsBoundUnconnectedAndDropsMalformedLines() {
        let sockets = ProcNetParser.parse(Self.udp6, proto: .udp, family: .ipv6, netns: 0)
        #expect(sockets.map(\.port) == [18082])
        #expect(sockets.map(\.address) == ["::"])
    }

    @Test(arguments: ["", "   0: zz:46A0 00000000:0000 0A 0:0 0:0 0 0 0 1", "   0: 0100007F:46A0 00000000:0000 0A", "0100007F:46A0"])
    func rejectsBrokenLines(line: String) {
        #expect(ProcNetParser.parseLine(Substring(line), proto: .tcp, family: .ipv4, netns: 0) == nil)
    }
}
