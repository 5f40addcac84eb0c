import Engine
import NIOCore
import NIOHTTP1

/// Answers one connection's requests. NIO's decoder has parsed them (and answered malformed
/// ones with 400); this checks the token, routes, and writes the response.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let hub: AgentHub
    private let token: BearerToken?
    private let limits: ServerLimits
    private let perProcessSeries: Bool
    private let inspectQueue: any WorkQueue
    private var head: HTTPRequestHead?
    /// The request's body, for the one endpoint that takes one (`PUT /v1/criteria`).
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    static let maxBodyBytes = 4096
    private var deadline: Scheduled<Void>?
    /// Serving `/v1/events`: the connection is the client's until either side ends it.
    private var streaming = false
    /// A request is being answered (a large document, an inspect read): the client, which
    /// sends nothing meanwhile, is waiting, not idle.
    private var answering = false

    init(_ pipeline: AgentPipeline) {
        hub = pipeline.hub
        token = pipeline.token
        limits = pipeline.limits
        perProcessSeries = pipeline.perProcessSeries
        inspectQueue = pipeline.inspectQueue
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            bodyTooLarge = false
        case .body(let buffer):
            // Kept up to a few KiB (only PUT /v1/criteria reads it); the request deadline bounds
            // how long a body may take.
            if body.count + buffer.readableBytes <= Self.maxBodyBytes { body += buffer.readableBytesView } else { bodyTooLarge = true }
        case .end:
            guard let head, !streaming else { return }
            self.head = nil
            deadline?.cancel()
            deadline = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestStarted.BytesArrived {
            if deadline == nil, !streaming { armDeadline(context: context) }
            return
        }
        if event is IdleStateHandler.IdleStateEvent, !streaming, !answering {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Parse errors were answered with 400 by NIO's handler before this; anything else is
        // a broken connection. Neither is logged: what the client sent stays out of the logs.
        context.close(promise: nil)
    }

    /// Closes the connection unless the request that started now arrives whole in time.
    private func armDeadline(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: limits.requestTimeout) {
            loopBound.value.close(promise: nil)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        answering = true
        let endpoint: Endpoint
        let remote = hub.criteriaControl != nil
        switch Endpoint.route(method: head.method, uri: head.uri, remoteCriteria: remote) {
        case .notFound: return send(.notFound, "not found\n", to: head, context: context)
        case .methodNotAllowed:
            let allowed = remote && head.uri.hasPrefix(Endpoint.criteria.rawValue) ? "GET, HEAD, PUT" : "GET, HEAD"
            return send(.methodNotAllowed, "read-only: GET or HEAD\n", headers: [("Allow", allowed)], to: head, context: context)
        case .setCriteria:
            guard admitted(head) else { return refuse(head, context: context) }
            return setCriteria(head: head, context: context)
        case .serve(let found): endpoint = found
        case .inspect(let pid, let startTime):
            guard admitted(head) else { return refuse(head, context: context) }
            return inspect(pid: pid, startTime: startTime, head: head, context: context)
        }
        if endpoint.needsToken, !admitted(head) { return refuse(head, context: context) }
        switch endpoint {
        case .health:
            guard let state = hub.state, state.lastFullScan != nil else {
                return send(.serviceUnavailable, "starting: the first full scan is not done\n", to: head, context: context)
            }
            send(.ok, "ok: \(state.mode)\n", to: head, context: context)
        case .metrics:
            var body = hub.metrics.registry.emitToBuffer()
            if let state = hub.state {
                StateMetrics.emit(state, into: &body)
                if perProcessSeries { ProcessSeries.emit(state, into: &body) }
            }
            send(.ok, body, contentType: "text/plain; version=0.0.4; charset=utf-8", to: head, context: context)
        case .processes:
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            hub.processesDocument { body in
                loopBound.eventLoop.execute {
                    let (handler, context) = loopBound.value
                    guard let body else {
                        return handler.send(.serviceUnavailable, "starting: the first full scan is not done\n", to: head, context: context)
                    }
                    handler.send(.ok, body, contentType: "application/json", to: head, context: context)
                }
            }
        case .events:
            stream(to: head, context: context)
        case .criteria:
            send(.ok, (hub.state?.criteria.description ?? "none") + "\n", to: head, context: context)
        }
    }

    /// New port ranges for the agent's criteria (its other selectors stay), as text: `8080,9000-9100`,
    /// empty for any port. Answers the criteria now in force; the engine applies them with its next batch.
    private func setCriteria(head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard let control = hub.criteriaControl else { return send(.methodNotAllowed, "read-only\n", to: head, context: context) }
        guard !bodyTooLarge else { return send(.payloadTooLarge, "port ranges are at most \(Self.maxBodyBytes) bytes\n", to: head, context: context) }
        let blank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        let text = String(decoding: body.drop { blank.contains($0) }.reversed().drop { blank.contains($0) }.reversed(), as: UTF8.self)
        do {
            let ports = text.isEmpty ? nil : try PortRanges(parsing: text)
            let criteria = control.set(ports: ports)
            send(.ok, criteria.description + "\n", to: head, context: context)
        } catch {
            send(.badRequest, SafeText.sanitize("\(error)") + "\n", to: head, context: context)
        }
    }

    private func admitted(_ head: HTTPRequestHead) -> Bool {
        token.map { $0.admits(head.headers.first(name: "authorization")) } ?? true
    }

    private func refuse(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        send(.unauthorized, "a bearer token is required\n", headers: [("WWW-Authenticate", "Bearer")], to: head, context: context)
    }

    /// The inspect view of one process, read on the agent (its /proc, its ELF files) off the
    /// event loop, as the monitor reads it off its UI thread.
    private func inspect(pid: Int32, startTime: UInt64?, head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard let state = hub.state,
              let record = state.records.values.first(where: { $0.pid == pid && (startTime == nil || $0.identity.startTime == startTime) })
        else { return send(.notFound, "no process \(pid) is known here\n", to: head, context: context) }
        let verdict = state.verdicts[record.identity]
        let criteria = state.criteria
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let documents = hub.documents
        inspectQueue.run {
            let body = documents.inspection(of: record, verdict: verdict, criteria: criteria)
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.send(.ok, body, contentType: "application/json", to: head, context: context)
            }
        }
    }

    /// The response head, then the stream; chunked, as its length is not known.
    private func stream(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Content-Type", "application/x-ndjson"), ("Cache-Control", "no-store")])
        if head.version.major < 1 || (head.version.major == 1 && head.version.minor == 0) { headers.add(name: "Connection", value: "close") }
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        guard head.method == .GET else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            answering = false
            return
        }
        streaming = true
        hub.subscribe(context.channel)
    }

    private func send(
        _ status: HTTPResponseStatus, _ text: String, headers: [(String, String)] = [], to head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        send(status, Array(text.utf8), contentType: "text/plain; charset=utf-8", headers: headers, to: head, context: context)
    }

    private func send(
        _ status: HTTPResponseStatus, _ body: [UInt8], contentType: String, headers extra: [(String, String)] = [],
        to head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        send(status, context.channel.allocator.buffer(bytes: body), contentType: contentType, headers: extra, to: head, context: context)
    }

    private func send(
        _ status: HTTPResponseStatus, _ body: ByteBuffer, contentType: String, headers extra: [(String, String)] = [],
        to head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.readableBytes))] + extra)
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        answering = false
        if !keepAlive {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            written.whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }
}
