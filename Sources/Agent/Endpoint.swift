import NIOHTTP1

/// The agent's read-only API: every path it answers, and what any other request gets.
package enum Endpoint: String, CaseIterable, Sendable {
    case metrics = "/metrics"
    case processes = "/v1/processes"
    case events = "/v1/events"
    case health = "/healthz"
    /// GET: the agent's criteria, one line. PUT (with `--allow-remote-criteria` only): new port
    /// ranges for them, as the monitor's `/` prompt sets its own.
    case criteria = "/v1/criteria"

    /// Whether a request needs the bearer token when the agent has one: probes (kubelet,
    /// systemd) check liveness without a secret.
    var needsToken: Bool { self != .health }

    /// How a request is answered before any endpoint runs.
    enum Routing: Equatable, Sendable {
        case serve(Endpoint)
        /// `GET /v1/processes/PID[?start_time=TICKS]`: the inspect view of one process; the
        /// start time, when given, says which process of that pid (pids are reused).
        case inspect(pid: Int32, startTime: UInt64?)
        /// `PUT /v1/criteria`, when the agent allows it.
        case setCriteria
        case notFound
        case methodNotAllowed
    }

    /// The endpoint for a request line. The query string is ignored but by inspect: scrapers
    /// add their own (`?format=...`). HEAD is a GET without a body.
    /// `remoteCriteria`: `serve --allow-remote-criteria`, the one way a request changes the agent.
    static func route(method: HTTPMethod, uri: String, remoteCriteria: Bool = false) -> Routing {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map(String.init) ?? uri
        let readOnly = method == .GET || method == .HEAD
        if let endpoint = Endpoint(rawValue: path) {
            if endpoint == .criteria, method == .PUT, remoteCriteria { return .setCriteria }
            return readOnly ? .serve(endpoint) : .methodNotAllowed
        }
        let prefix = Endpoint.processes.rawValue + "/"
        guard path.hasPrefix(prefix), case let digits = path.dropFirst(prefix.count), (1...10).contains(digits.count),
              digits.allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(digits), pid > 0 else { return .notFound }
        guard readOnly else { return .methodNotAllowed }
        let startTime = parts.count > 1 ? parts[1].split(separator: "&").lazy.compactMap { field -> UInt64? in
            field.hasPrefix("start_time=") ? UInt64(field.dropFirst("start_time=".count)) : nil
        }.first : nil
        return .inspect(pid: pid, startTime: startTime)
    }
}
