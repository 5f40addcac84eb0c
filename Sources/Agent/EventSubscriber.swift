import NIOCore
import NIOHTTP1
import Engine
import Glibc

/// One `/v1/events` client: lines go to its socket, and what its socket has not taken yet is
/// counted against a fixed budget. A client that stops reading exhausts the budget and is cut
/// off; the agent never holds more than the budget for it, and the engine never waits for it.
final class EventSubscriber: Sendable {
    let channel: any Channel
    private let backlog: Int
    private let flow = Locked(Flow.awaitingSnapshot(held: []))

    private enum Flow {
        /// Its snapshot is being written: live lines wait here, in order, within the backlog.
        case awaitingSnapshot(held: [UInt8])
        /// Bytes handed to the channel and not yet written to the socket, against the budget:
        /// the snapshot (whatever its size) plus the backlog.
        case live(queued: Int, budget: Int)
        case cutOff
    }

    /// `backlog`: how far behind the live stream the client may fall.
    init(channel: any Channel, backlog: Int) {
        self.channel = channel
        self.backlog = backlog
    }

    /// Sends the snapshot, then what was held meanwhile, and goes live.
    func begin(snapshot: [UInt8]) {
        flow.withLock { flow in
            // Cut off meanwhile: its backlog filled up while it waited.
            guard case .awaitingSnapshot(let held) = flow else { return }
            let bytes = snapshot + held
            flow = .live(queued: bytes.count, budget: snapshot.count + backlog)
            // Handed to the event loop under the lock: a live line sent right after cannot
            // overtake it.
            write(bytes)
        }
    }

    /// Queues `bytes` for the socket. Never blocks: called on the engine's queue.
    func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let admitted = flow.withLock { flow -> Bool in
            switch flow {
            case .cutOff:
                return true
            case .awaitingSnapshot(var held):
                guard held.count + bytes.count <= backlog else {
                    flow = .cutOff
                    return false
                }
                held += bytes
                flow = .awaitingSnapshot(held: held)
            case .live(let queued, let budget):
                guard queued + bytes.count <= budget else {
                    flow = .cutOff
                    return false
                }
                flow = .live(queued: queued + bytes.count, budget: budget)
                write(bytes)
            }
            return true
        }
        if !admitted { cutOff() }
    }

    /// Hands `bytes` to the channel; what the socket has taken comes off the count.
    private func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let channel = channel
        let count = bytes.count
        channel.eventLoop.execute { [self] in
            let buffer = channel.allocator.buffer(bytes: bytes)
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer))).whenComplete { [self] _ in
                flow.withLock { flow in
                    if case .live(let queued, let budget) = flow { flow = .live(queued: queued - count, budget: budget) }
                }
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
