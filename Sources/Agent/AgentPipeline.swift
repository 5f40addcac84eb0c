import Dispatch
import Engine
import NIOCore
import NIOHTTP1

/// The handlers of one agent connection, in order: the idle timer, the request clock, NIO's
/// HTTP/1 codec within the header limits (it answers a malformed request with 400 and
/// closes), then the agent's own handler. `discotop serve` puts them on each accepted socket;
/// the fuzz harness on an `EmbeddedChannel`, so what it drives is what a client reaches.
public struct AgentPipeline: Sendable {
    let hub: AgentHub
    let token: BearerToken?
    let limits: ServerLimits
    let perProcessSeries: Bool
    /// Where inspect reads run: concurrently, as each is a few /proc and ELF reads.
    let inspectQueue: any WorkQueue

    public init(
        hub: AgentHub, token: BearerToken?, limits: ServerLimits, perProcessSeries: Bool,
        inspectQueue: any WorkQueue = DispatchQueue.global()
    ) {
        self.hub = hub
        self.token = token
        self.limits = limits
        self.perProcessSeries = perProcessSeries
        self.inspectQueue = inspectQueue
    }

    /// Adds the handlers; on the channel's event loop.
    public func configure(_ pipeline: ChannelPipeline.SynchronousOperations) throws {
        try pipeline.addHandler(IdleStateHandler(readTimeout: limits.idleTimeout))
        try pipeline.addHandler(RequestStarted())
        try pipeline.configureHTTPServerPipeline(withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoderLimits)
        try pipeline.addHandler(RequestHandler(self))
    }

    private var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var decoder = NIOHTTPDecoderLimitConfiguration()
        decoder.maxHeaderListSize = limits.maxHeaderBytes
        decoder.maxHeaderFieldSize = limits.maxHeaderBytes
        decoder.maxHeaderFieldCount = 100
        return decoder
    }
}
