import NIOCore
import NIOHTTP1

/// Every response part the agent's handlers write, seen just before NIO's encoder frames it.
final class ResponseLog: ChannelOutboundHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    struct Response {
        var status: HTTPResponseStatus
        var version: HTTPVersion
        var bodyBytes = 0
        var ended = false
    }

    private(set) var responses: [Response] = []
    /// What the agent may answer; anything else (a 500, a 1xx) is a bug.
    private static let answered: Set<UInt> = [200, 400, 401, 404, 405, 413, 503]

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            precondition(responses.last?.ended ?? true, "a response head before the previous response ended")
            precondition(Self.answered.contains(head.status.code), "status \(head.status.code)")
            precondition(head.version == .http1_1 || head.version == .http1_0, "version \(head.version)")
            responses.append(Response(status: head.status, version: head.version))
        case .body(let body):
            precondition(!(responses.last?.ended ?? true), "a body part outside a response")
            if case .byteBuffer(let buffer) = body { responses[responses.count - 1].bodyBytes += buffer.readableBytes }
        case .end:
            precondition(!(responses.last?.ended ?? true), "an end outside a response")
            responses[responses.count - 1].ended = true
        }
        context.write(data, promise: promise)
    }
}

/// The requests as the agent's handler receives them, and the parse errors NIO's decoder
/// raises on their way to its protocol error handler.
final class RequestLog: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    private(set) var heads = 0
    private(set) var ends = 0
    private(set) var parserErrors = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: heads += 1
        case .body: break
        case .end: ends += 1
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError { parserErrors += 1 }
        context.fireErrorCaught(error)
    }
}
