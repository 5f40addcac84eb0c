import Agent
import Engine
import NIOCore
import NIOPosix

/// The agent's HTTP/1.1 listener, on one event-loop thread: the agent answers a scraper or
/// a handful of clients, and must not take a core from the node's workloads.
enum HTTPServer {
    static func start(at address: ListenAddress, pipeline: AgentPipeline, limits: ServerLimits) throws -> any Channel {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let open = ConnectionCount(limit: limits.maxConnections)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // Fixed, not autotuned up to 4 MiB: with it, what a stalled client costs the
            // kernel is bounded like what it costs the agent (`eventBacklogBytes`).
            .childChannelOption(.socketOption(.so_sndbuf), value: ChannelOptions.Types.SocketOption.Value(limits.sendBufferBytes))
            .childChannelInitializer { channel in
                // Over the limit, a connection is closed as soon as it is accepted: cheaper than
                // answering it, and what a client retrying later needs to know.
                guard open.admit() else { return channel.close() }
                channel.closeFuture.whenComplete { _ in open.release() }
                return channel.eventLoop.makeCompletedFuture { try pipeline.configure(channel.pipeline.syncOperations) }
            }
        return try bootstrap.bind(host: address.host, port: Int(address.port)).wait()
    }
}

/// Connections open now, against the limit; touched from the event loop and close callbacks.
private final class ConnectionCount: Sendable {
    private let open = Locked(0)
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func admit() -> Bool {
        open.withLock { open in
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    func release() {
        open.withLock { $0 -= 1 }
    }
}
