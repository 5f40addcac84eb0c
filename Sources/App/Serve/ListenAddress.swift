import Engine
import NIOCore

/// Where `serve` listens: `HOST:PORT`, `[IPV6]:PORT` or `:PORT` (every address).
struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// Free in Prometheus' default port allocations (README, "discotop serve").
    static let defaultPort: UInt16 = 10088
    static let `default` = ListenAddress(host: "127.0.0.1", port: defaultPort)

    var host: String
    var port: UInt16

    struct Invalid: Error, CustomStringConvertible {
        var text: String
        var description: String { "--listen \"\(SafeText.sanitize(text))\": expected HOST:PORT, [IPV6]:PORT or :PORT with a port of 0-65535" }
    }

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    init(parsing text: String) throws(Invalid) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw Invalid(text: text) }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw Invalid(text: text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portText), !portText.hasPrefix("+") else { throw Invalid(text: text) }
        let resolvedHost = host.isEmpty ? "0.0.0.0" : String(host)
        // Only numeric addresses: a name would be resolved once, at start, which is not what
        // the operator reading the unit file expects.
        guard (try? SocketAddress(ipAddress: resolvedHost, port: Int(port))) != nil else { throw Invalid(text: text) }
        self.host = resolvedHost
        self.port = port
    }

    /// Loopback only: no other machine (or pod) can reach it.
    var isLoopback: Bool {
        host == "::1" || host.hasPrefix("127.")
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
