import NIOHTTP1

/// The agent's read-only API: every path it answers, and what any other request gets.
enum Endpoint: String, CaseIterable, Sendable {
    case metrics = "/metrics"
    case processes = "/v1/processes"
    case events = "/v1/events"
    case health = "/healthz"

    /// Whether a request needs the bearer token when the agent has one: probes (kubelet,
    /// systemd) check liveness without a secret.
    var needsToken: Bool { self != .health }

    /// How a request is answered before any endpoint runs.
    enum Routing: Equatable, Sendable {
        case serve(Endpoint)
        case notFound
        case methodNotAllowed
    }

    /// The endpoint for a request line. The query string is ignored: no endpoint takes
    /// parameters, and scrapers add their own (`?format=...`). HEAD is a GET without a body.
    static func route(method: HTTPMethod, uri: String) -> Routing {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        guard let endpoint = Endpoint(rawValue: path) else { return .notFound }
        return method == .GET || method == .HEAD ? .serve(endpoint) : .methodNotAllowed
    }
}
