import Foundation
import Glibc

/// A client that speaks bytes, not HTTP: the agent's tests send what real and broken clients
/// send, byte for byte, and read what comes back.
/// Sendable so a thread can trickle bytes into it (the slowloris); its one fd is never reassigned.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    /// Connects to 127.0.0.1:`port`; nil if the connection is refused. `receiveBuffer` shrinks
    /// the kernel's buffer (before connecting, so the window it offers is small from the start).
    init?(port: UInt16, receiveBuffer: Int32? = nil) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
    }

    deinit { Glibc.close(fd) }

    /// Sends all of `bytes`; false once the peer has closed or reset the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Whatever arrives within `timeout` seconds, up to the peer's close.
    func receive(timeout: Double, until done: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline, !done(received) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return (received, true) }
            received += buffer[..<count]
        }
        return (received, false)
    }

    /// Whether the peer has closed or reset the connection, without reading what it sent:
    /// POLLRDHUP comes with the FIN even when unread data is queued before it.
    var peerHasClosed: Bool {
        // POLLRDHUP (0x2000) is behind _GNU_SOURCE in glibc's headers, which Swift does not define.
        let readHangUp: Int16 = 0x2000
        var poller = pollfd(fd: fd, events: readHangUp, revents: 0)
        return poll(&poller, 1, 0) > 0 && poller.revents & (readHangUp | Int16(POLLHUP) | Int16(POLLERR)) != 0
    }

    /// Whether the agent has closed the connection (reads EOF or a reset) within `timeout`.
    func closedByPeer(within timeout: Double) -> Bool {
        receive(timeout: timeout).closed
    }
}

/// One parsed response: enough of HTTP/1.1 to check what the agent answered.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The first response in `bytes`, if its head is complete (the body as far as it arrived).
    init?(_ bytes: [UInt8]) {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        self.status = status
        headers = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        body = Array(bytes[end.upperBound...])
    }
}

enum HTTPGet {
    /// `GET path` on a connection of its own, closed after the response.
    static func fetch(port: UInt16, _ path: String, method: String = "GET", headers: [String] = [], timeout: Double = 10) -> HTTPReply? {
        guard let connection = RawConnection(port: port) else { return nil }
        let head = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"] + headers
        connection.send(head.joined(separator: "\r\n") + "\r\n\r\n")
        return HTTPReply(connection.receive(timeout: timeout).bytes)
    }
}
