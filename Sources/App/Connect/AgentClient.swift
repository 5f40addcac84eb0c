import Agent
import Engine
import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix

/// The client side of `discotop serve`: NIO's HTTP/1 client pipeline (the same library the
/// agent serves with, so no HTTP is parsed by hand on either side), used blocking from the
/// command that needs an answer. One request per connection: the agent is a few milliseconds
/// away, and nothing is left open between a monitor's polls.
struct AgentClient: Sendable {
    let url: AgentURL
    private let authorization: String?
    /// For connecting and for the whole of a plain response; a stream's head only.
    let timeoutSeconds: Int
    /// Larger than any real document (about 800 bytes a process): what a server that is not an
    /// agent may make the client hold.
    static let maxBodyBytes = 256 * 1024 * 1024

    var hasToken: Bool { authorization != nil }

    init(url: AgentURL, token: BearerToken?, timeoutSeconds: Int = 5) {
        self.url = url
        authorization = token?.authorization
        self.timeoutSeconds = timeoutSeconds
    }

    struct Response: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// `GET path`, whole.
    func get(_ path: String) throws(ConnectFailure) -> Response {
        try request(.GET, path)
    }

    /// `PUT path` with a text body, whole (`/v1/criteria`).
    func put(_ path: String, text: String) throws(ConnectFailure) -> Response {
        try request(.PUT, path, body: Array(text.utf8))
    }

    private func request(_ method: HTTPMethod, _ path: String, body requestBody: [UInt8] = []) throws(ConnectFailure) -> Response {
        let collected = Locked<(HTTPResponseHead?, [UInt8])>((nil, []))
        let limit = Self.maxBodyBytes
        let url = url
        try exchange(method, path, body: requestBody, streaming: false, head: { head in
            collected.withLock { collected in
                collected.0 = head
                // Room for the whole body at once: growing by doubling copied a document of
                // megabytes several times over.
                if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > 0 {
                    collected.1.reserveCapacity(min(length, limit))
                }
            }
            return nil
        }, body: { buffer in
            collected.withLock { collected -> ConnectFailure? in
                guard collected.1.count + buffer.readableBytes <= limit else {
                    return .notDiscotop(url, reason: "its answer is larger than \(limit / 1024 / 1024) MB")
                }
                collected.1 += buffer.readableBytesView
                return nil
            }
        })
        let (head, body) = collected.withLock { $0 }
        guard let head else { throw .closed(url) }
        return Response(status: head.status, headers: head.headers, body: body)
    }

    /// `GET path`, its body handed on a chunk at a time as it arrives, within the same deadline
    /// as a whole response.
    func get(
        _ path: String, chunks head: @escaping @Sendable (HTTPResponseHead) -> ConnectFailure?,
        body: @escaping @Sendable (ByteBuffer) -> ConnectFailure?
    ) throws(ConnectFailure) {
        try exchange(.GET, path, body: [], streaming: false, head: head, body: body)
    }

    /// `GET path` as a stream: `head` sees the response head (and may refuse it), `body` every
    /// chunk as it arrives, until the agent ends the stream or either returns a failure.
    func stream(
        _ path: String, head: @escaping @Sendable (HTTPResponseHead) -> ConnectFailure?,
        body: @escaping @Sendable (ByteBuffer) -> ConnectFailure?
    ) throws(ConnectFailure) {
        try exchange(.GET, path, body: [], streaming: true, head: head, body: body)
    }

    private func exchange(
        _ method: HTTPMethod, _ path: String, body requestBody: [UInt8], streaming: Bool, head: @escaping @Sendable (HTTPResponseHead) -> ConnectFailure?,
        body: @escaping @Sendable (ByteBuffer) -> ConnectFailure?
    ) throws(ConnectFailure) {
        var headers = HTTPHeaders([("Host", url.authority), ("User-Agent", "discotop/\(DiscotopVersion.string)"), ("Connection", "close")])
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        if method != .GET {
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(requestBody.count))
        }
        let request = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        let url = url
        let timeout = TimeAmount.seconds(Int64(timeoutSeconds))
        let seconds = timeoutSeconds
        // The calling thread runs the connection's event loop until the exchange is over: no
        // thread of NIO's to start, and no hand-over between threads for each answer, which on a
        // busy node waits for a core each time.
        let outcome = Locked<Result<Void, ConnectFailure>?>(nil)
        MultiThreadedEventLoopGroup.withCurrentThreadAsEventLoop { loop in
            let done = loop.makePromise(of: Void.self)
            let bootstrap = ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                // A document comes in reads of up to 256 KiB from the first, not from 2 KiB doubling.
                .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 65536, maximum: 262_144))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHTTPClientHandlers()
                        try pipeline.addHandler(ExchangeHandler(
                            request: request, requestBody: requestBody, url: url, deadline: timeout, seconds: seconds, streaming: streaming, head: head,
                            body: body, done: done))
                    }
                }
            bootstrap.connect(host: url.host, port: Int(url.port)).whenComplete { connected in
                switch connected {
                case .failure(let error):
                    done.fail(Self.connectFailure(error, url: url, seconds: seconds))
                case .success(let channel):
                    done.futureResult.whenComplete { _ in channel.close(promise: nil) }
                }
            }
            done.futureResult.whenComplete { result in
                outcome.withLock { outcome in
                    outcome = result.mapError { error in (error as? ConnectFailure) ?? .unreachable(url, reason: "\(error)") }
                }
                // Ends withCurrentThreadAsEventLoop once the channel's close has run.
                loop.execute { loop.shutdownGracefully { _ in } }
            }
        }
        guard let result = outcome.withLock({ $0 }) else { throw .closed(url) }
        try result.get()
    }

    /// What NIO's connect errors mean to someone who typed an address.
    static func connectFailure(_ error: any Error, url: AgentURL, seconds: Int) -> ConnectFailure {
        if case ChannelError.connectTimeout = error { return .timedOut(url, seconds: seconds) }
        var errno: Int32?
        if let io = error as? IOError { errno = io.errnoCode }
        if let connection = error as? NIOConnectionError {
            if connection.connectionErrors.isEmpty, connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return .unreachable(url, reason: "cannot resolve \(SafeText.sanitize(url.host))")
            }
            for single in connection.connectionErrors {
                if case ChannelError.connectTimeout = single.error { return .timedOut(url, seconds: seconds) }
                if let io = single.error as? IOError { errno = io.errnoCode }
            }
        }
        if errno == ECONNREFUSED { return .refused(url) }
        if let errno { return .unreachable(url, reason: String(cString: strerror(errno))) }
        return .unreachable(url, reason: SafeText.sanitize("\(error)"))
    }
}

/// Sends the one request once connected, hands the response on, and completes `done` once,
/// whichever comes first: the end of the response, a failure, the deadline or a close.
private final class ExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: HTTPRequestHead
    private let requestBody: [UInt8]
    private let url: AgentURL
    private let deadline: TimeAmount
    private let seconds: Int
    private let streaming: Bool
    private let onHead: @Sendable (HTTPResponseHead) -> ConnectFailure?
    private let onBody: @Sendable (ByteBuffer) -> ConnectFailure?
    private let done: EventLoopPromise<Void>
    private var finished = false
    private var timer: Scheduled<Void>?

    init(
        request: HTTPRequestHead, requestBody: [UInt8], url: AgentURL, deadline: TimeAmount, seconds: Int, streaming: Bool,
        head: @escaping @Sendable (HTTPResponseHead) -> ConnectFailure?, body: @escaping @Sendable (ByteBuffer) -> ConnectFailure?,
        done: EventLoopPromise<Void>
    ) {
        self.request = request
        self.requestBody = requestBody
        self.url = url
        self.deadline = deadline
        self.seconds = seconds
        self.streaming = streaming
        onHead = head
        onBody = body
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) {
            let (handler, context) = loopBound.value
            handler.finish(.failure(ConnectFailure.timedOut(handler.url, seconds: handler.seconds)), context: context)
        }
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        if !requestBody.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: requestBody)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // A stream may be quiet for as long as the node is: only its head is timed.
            if streaming { timer?.cancel() }
            if let failure = onHead(head) { finish(.failure(failure), context: context) }
        case .body(let buffer):
            if let failure = onBody(buffer) { finish(.failure(failure), context: context) }
        case .end:
            finish(.success(()), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ConnectFailure.closed(url)), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // What the decoder refuses is not HTTP/1 as an agent speaks it.
        let failure: ConnectFailure =
            if error is HTTPParserError { .notDiscotop(url, reason: "its answer is not HTTP/1.1") }
            else if streaming, (error as? IOError)?.errnoCode == ECONNRESET { .cutOff(url) }
            else { AgentClient.connectFailure(error, url: url, seconds: seconds) }
        finish(.failure(failure), context: context)
    }

    private func finish(_ result: Result<Void, any Error>, context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        done.completeWith(result)
        context.close(promise: nil)
    }
}
