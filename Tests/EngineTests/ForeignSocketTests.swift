import Testing
@testable import Engine

/// Hints against a process's unnamed descriptors, with the descriptor reads counted: the
/// socket behind each is read once per call, however many hints a burst of binds sent.
@Suite struct ForeignSocketTests {
    static let pid: Int32 = 4242

    /// 40 socket descriptors (fds 3...42) of which fds 20 and 25 are bound UDP sockets.
    static let references = (3...42).map { SocketReference(inode: 1000 + UInt64($0), pid: pid, fd: Int32($0)) }

    static func socket(behind fd: Int32) -> ListeningSocket? {
        guard fd == 20 || fd == 25 else { return nil }
        return ListeningSocket(proto: .udp, family: .ipv4, address: "127.0.0.1", port: fd == 20 ? 5353 : 5354,
                               inode: 1000 + UInt64(fd), netns: 1)
    }

    @Test func aBurstOfHintsReadsEachDescriptorOnce() {
        var reads = 0
        // 5,000 binds to ports the process has since closed, and the one it still holds.
        let hints = (0..<5000).map { SocketHint(proto: .udp, port: UInt16(40000 + $0)) } + [SocketHint(proto: .udp, port: 5353)]
        let found = ForeignSocket.find(hints, pid: Self.pid, references: Self.references, known: [:]) { fd in
            reads += 1
            return Self.socket(behind: fd)
        }
        #expect(found.map(\.port) == [5353])
        #expect(reads <= Self.references.count)
    }

    @Test func everyHintedSocketIsStillFound() {
        let hints = [SocketHint(proto: .udp, port: 5354), SocketHint(proto: .udp, port: 5353), SocketHint(proto: .udp, port: 5353)]
        let found = ForeignSocket.find(hints, pid: Self.pid, references: Self.references, known: [:], look: Self.socket(behind:))
        #expect(found.map(\.port) == [5354, 5353])
    }

    @Test func knownSocketsAreNotReadAgain() {
        var reads: [Int32] = []
        let known: [UInt64: ListeningSocket] = [1020: Self.socket(behind: 20)!]
        let found = ForeignSocket.find([SocketHint(proto: .udp, port: 5354)], pid: Self.pid, references: Self.references,
                                       known: known) { fd in
            reads.append(fd)
            return Self.socket(behind: fd)
        }
        #expect(found.map(\.port) == [5354])
        #expect(!reads.contains(20))
    }
}
