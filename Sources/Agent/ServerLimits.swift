import NIOCore

/// What one client may take of the agent. The agent runs beside production workloads on every
/// node, so a scraper gone wrong, a port scanner or a stalled `curl` must cost it a bounded amount.
public struct ServerLimits: Sendable {
    /// Connections open at once; the next ones are closed on accept.
    public var maxConnections = 64
    /// The request line and headers together; a scrape sends a few hundred bytes.
    public var maxHeaderBytes = 16 * 1024
    /// A connection that sends nothing for this long between requests is closed.
    public var idleTimeout = TimeAmount.seconds(30)
    /// A request must arrive whole within this time of the connection's being ready for it:
    /// a client trickling a byte a second (slowloris) is never idle, but this ends it.
    public var requestTimeout = TimeAmount.seconds(10)
    /// How far a `/v1/events` client may fall behind the live stream before it is cut off.
    public var eventBacklogBytes = 256 * 1024
    /// The kernel's send buffer per connection (it doubles the figure for its bookkeeping):
    /// enough for a LAN or a port-forward, and a bound on what an unread stream parks there.
    public var sendBufferBytes = 256 * 1024

    public init() {}
}
