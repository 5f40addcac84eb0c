import Engine

/// Why talking to an agent failed, each worded for the person who typed `--connect`.
enum ConnectFailure: Error, CustomStringConvertible, Equatable {
    case refused(AgentURL)
    case unreachable(AgentURL, reason: String)
    case timedOut(AgentURL, seconds: Int)
    case unauthorized(AgentURL, sentToken: Bool)
    case status(AgentURL, path: String, code: UInt, text: String)
    case starting(AgentURL)
    case notDiscotop(AgentURL, reason: String)
    case versionMismatch(AgentURL, theirs: Int, ours: Int)
    case closed(AgentURL)
    /// The agent reset a stream it had been sending: it cuts off a reader that falls too far behind.
    case cutOff(AgentURL)

    var description: String {
        switch self {
        case .refused(let url):
            "cannot connect to \(url): connection refused (is `discotop serve` running there, on that port?)"
        case .unreachable(let url, let reason):
            "cannot connect to \(url): \(reason)"
        case .timedOut(let url, let seconds):
            "\(url) did not answer within \(seconds) s"
        case .unauthorized(let url, let sent):
            sent ? "\(url) refused the token (401): check --token-file against the agent's"
                : "\(url) needs a bearer token (401): give --token-file with the agent's token"
        case .status(let url, let path, let code, let text):
            "\(url)\(path) answered \(code)\(text.isEmpty ? "" : ": \(SafeText.sanitize(text))")"
        case .starting(let url):
            "\(url) is starting: its first full scan is not done yet; try again in a moment"
        case .notDiscotop(let url, let reason):
            "\(url) does not look like discotop serve: \(reason)"
        case .versionMismatch(let url, let theirs, let ours):
            "\(url) speaks schema_version \(theirs) and this discotop reads \(ours): run the same discotop version on both sides"
        case .closed(let url):
            "\(url) closed the connection"
        case .cutOff(let url):
            "\(url) cut this client off: it read the stream more slowly than events came (the agent holds only so much for a reader)"
        }
    }
}
