import NIOCore
import NIOHTTP1
import Engine
import Glibc

/// One `/v1/events` client: lines go to its socket, and what its socket has not taken yet is
/// counted against a fixed budget. A client that stops reading exhausts the budget and is cut
/// off; the agent never holds more than the budget for it, and the engine never waits for it.
final class EventSubscriber: Sendable {
    let channel: any Channel
    private let budget: Int
    /// Bytes handed to the channel and not yet written to the socket; nil once cut off.
    private let queued = Locked<Int?>(0)

    /// `snapshot` is what the client is owed first, whatever its size; `backlog` is how far
    /// behind the live stream it may fall after that.
    init(channel: any Channel, snapshot: [UInt8], backlog: Int) {
        self.channel = channel
        budget = snapshot.count + backlog
        send(snapshot)
    }

    /// Queues `bytes` for the socket. Never blocks: called on the engine's queue.
    func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let admitted = queued.withLock { queued -> Bool in
            guard let current = queued else { return false }
            guard current + bytes.count <= budget else {
                queued = nil
                return false
            }
            queued = current + bytes.count
            return true
        }
        guard admitted else {
            cutOff()
            return
        }
        let channel = channel
        let count = bytes.count
        channel.eventLoop.execute { [self] in
            let buffer = channel.allocator.buffer(bytes: bytes)
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer))).whenComplete { [self] _ in
                queued.withLock { queued in queued = queued.map { $0 - count } }
            }
        }
    }

    /// Resets the connection rather than closing it: a FIN would wait behind the data the client
    /// is not reading, and the kernel would keep that data (and the client would see no end)
    /// until TCP gave up on it, minutes later.
    private func cutOff() {
        let channel = channel
        guard let socket = channel as? any SocketOptionProvider else { return channel.close(promise: nil) }
        socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }
}
