import NIOCore

/// Sits in front of the HTTP decoder and tells the handlers behind it that bytes arrived, which
/// the decoder does not: a request's clock starts at its first byte, long before its head parses.
final class RequestStarted: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The event sent behind this handler on every read.
    struct BytesArrived {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(BytesArrived())
        context.fireChannelRead(data)
    }
}
