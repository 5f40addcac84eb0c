import Engine

/// Where `--connect` reaches an agent: `http://HOST:PORT`, with `HOST:PORT` and `:PORT`
/// (loopback) as shorthands. Plain HTTP only: the agent serves nothing else, and TLS belongs to
/// whatever stands in front of it (an ingress, `kubectl port-forward`, an SSH tunnel).
struct AgentURL: Sendable, Equatable, CustomStringConvertible {
    var host: String
    var port: UInt16

    struct Invalid: Error, CustomStringConvertible {
        var text: String
        var reason: String
        var description: String { "--connect \"\(SafeText.sanitize(text))\": \(reason)" }
    }

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    init(parsing text: String) throws(Invalid) {
        var rest = Substring(text)
        if let scheme = rest.range(of: "://") {
            guard rest[..<scheme.lowerBound] == "http" else {
                throw Invalid(text: text, reason: "only http:// is served by discotop serve (put TLS in front of it)")
            }
            rest = rest[scheme.upperBound...]
        }
        // A trailing slash is what people paste; any other path is not the agent's root.
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/") else { throw Invalid(text: text, reason: "give the agent's address without a path, e.g. http://127.0.0.1:\(ListenAddress.defaultPort)") }
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Invalid(text: text, reason: "an IPv6 address needs its closing ]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            portText = after.hasPrefix(":") ? after.dropFirst() : ""
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
            portText = ""
        }
        let port: UInt16
        if portText.isEmpty {
            port = ListenAddress.defaultPort
        } else {
            guard let parsed = UInt16(portText), parsed > 0, !portText.hasPrefix("+") else { throw Invalid(text: text, reason: "the port must be 1-65535") }
            port = parsed
        }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_:".contains($0)) }) else {
            throw Invalid(text: text, reason: "not a host name or address")
        }
        self.host = host.isEmpty ? "127.0.0.1" : String(host)
        self.port = port
    }

    /// What `Host:` carries and messages name.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    var description: String { "http://\(authority)" }
}
