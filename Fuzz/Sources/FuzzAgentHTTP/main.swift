import Agent
import Engine
import FuzzDriver
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Bytes from a client, through the agent's own pipeline (`AgentPipeline`: the idle and request
/// timers, NIO's HTTP/1 codec within the header limits, the agent's handler) on an
/// `EmbeddedChannel`, against a fixed state. Whatever arrives, every response is well framed
/// with a valid status line, none is larger than the agent's largest document, a malformed
/// request ends the connection after its 400, and no request outlives the request limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func agentHTTPFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let channel = EmbeddedChannel()
    let responses = ResponseLog()
    let requests = RequestLog()
    try! FuzzAgent.pipeline.configure(channel.pipeline.syncOperations)
    let sync = channel.pipeline.syncOperations
    try! sync.addHandler(responses, position: .after(try! sync.handler(type: HTTPResponseEncoder.self)))
    try! sync.addHandler(requests, position: .before(try! sync.handler(type: HTTPServerProtocolErrorHandler.self)))
    try! channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()

    // A few bytes a second, as a slow client sends them: the request clock runs meanwhile.
    var offset = 0
    while offset < input.count, channel.isActive {
        let end = min(input.count, offset + FuzzAgent.chunk)
        var buffer = channel.allocator.buffer(capacity: end - offset)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: input[offset..<end]))
        _ = try? channel.writeInbound(buffer)
        channel.embeddedEventLoop.run()
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        offset = end
    }
    // Live events reach a client that asked for the stream.
    if channel.isActive, FuzzAgent.hub.subscriberCount > 0 {
        FuzzAgent.hub.publish(FuzzAgent.liveUpdate)
        channel.embeddedEventLoop.run()
    }
    let streaming = channel.isActive && FuzzAgent.hub.subscriberCount > 0
    let closedBeforeSilence = !channel.isActive
    // Counted now: a connection cut off mid-request has its partial request decoded at the close, which raises one more.
    let parserErrors = requests.parserErrors
    // Then silence past the request limit: a request begun and not ended has been cut off. (The
    // idle limit is NIO's IdleStateHandler, which reads the wall clock, not the embedded loop's.)
    channel.embeddedEventLoop.advanceTime(by: FuzzAgent.limits.requestTimeout)
    precondition(!channel.isActive || streaming || requests.heads == requests.ends, "a request outlived the request limit")

    var output: [UInt8] = []
    while let chunk = try? channel.readOutbound(as: ByteBuffer.self) { output += chunk.readableBytesView }
    ResponseCheck.framing(of: output, as: responses.responses)
    // Every request the agent answers ended at least its request line, and a malformed one is
    // answered once more before the close: "GET /x\r\n\r\n" (12 bytes, no version) is two.
    let lineEnds = input.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    precondition(responses.responses.count <= lineEnds + 1, "more responses than requests could fit in the input")
    for response in responses.responses {
        precondition(response.bodyBytes <= FuzzAgent.largestBody, "a response of \(response.bodyBytes) bytes")
    }
    if parserErrors > 0 {
        precondition(responses.responses.last?.status == .badRequest, "a malformed request was not answered 400")
        precondition(closedBeforeSilence, "a malformed request left the connection open")
    }
    _ = try? channel.finish(acceptAlreadyClosed: true)
    precondition(FuzzAgent.hub.subscriberCount == 0, "a closed stream is still subscribed")
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { agentHTTPFuzz($0, $1) }
