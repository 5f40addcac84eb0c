import Engine
import Glibc
import NIOCore

extension WatchCommand {
    /// The agent's `/v1/events` as `watch` prints its own: the lines as sent with --json, else
    /// read back and written as text. It starts with what the agent knows (`created`, `matched`),
    /// then goes on live until the agent or the reader goes away.
    func watchRemote() throws {
        try connect.refuseCriteria(criteria, command: "watch")
        let client = try connect.client(for: "watch")
        let json = json
        // Every line names the agent it came from, as the monitor's NODE column does: output
        // saved from several nodes stays apart.
        let node = NodeLabel(client.url.authority)
        if !json { try OutputStream.standardOutput.write(node.header + WatchLine.header + "\n") }
        let lines = LineSplitter()
        let path = "/v1/events"
        do throws(ConnectFailure) {
            try client.stream(path, head: { head in
                if let failure = client.failure(status: head.status, body: [], path: path) { return failure }
                guard head.headers.first(name: "content-type")?.hasPrefix("application/x-ndjson") == true else {
                    return .notDiscotop(client.url, reason: "its \(path) is not an ndjson stream")
                }
                return nil
            }, body: { buffer in
                do throws(OutputFailure) {
                    try Self.write(lines.split(buffer), json: json, node: node)
                } catch {
                    error.exit()
                }
                return nil
            })
            throw ConnectFailure.closed(client.url)
        } catch {
            throw error.exit()
        }
    }

    /// A chunk's whole lines in one write: a snapshot is thousands of them.
    private static func write(_ lines: [[UInt8]], json: Bool, node: NodeLabel) throws(OutputFailure) {
        guard !lines.isEmpty else { return }
        var out: [UInt8] = []
        for line in lines {
            if json {
                // A field added in front, the rest as sent.
                guard line.count > 2, line.first == UInt8(ascii: "{") else { continue }
                out += node.jsonField
                out += line.dropFirst()
                out.append(UInt8(ascii: "\n"))
                continue
            }
            switch AgentEventLine.decode(line) {
            case .event(let event)?: out += node.cell + Array(WatchLine.text(event).utf8)
            case .info(let time, let message)?: out += node.cell + Array(WatchLine.row(time, "info", "-", "-", detail: SafeText.sanitize(message)).utf8)
            case nil: Diagnostics.note("an event line from the agent could not be read; left out")
            }
        }
        try OutputStream.standardOutput.write(bytes: out)
    }
}

/// The agent a `watch --connect` line came from: a NODE column in front of the text lines, a
/// `node` field first in the JSON ones.
struct NodeLabel: Sendable {
    let header: String
    let cell: [UInt8]
    let jsonField: [UInt8]

    init(_ name: String) {
        let width = max(name.count, 4)
        header = "NODE".padding(to: width) + " "
        cell = Array((SafeText.sanitize(name).padding(to: width) + " ").utf8)
        var json = JSONWriter(capacity: 64)
        json.object { o in o.key("node"); o.string(name) }
        // `{"node":"…"}` less its closing brace, and a comma for the fields that follow.
        jsonField = json.bytes.dropLast() + [UInt8(ascii: ",")]
    }
}

/// Whole lines out of a byte stream cut anywhere: what a chunk ends with waits for the next.
final class LineSplitter: Sendable {
    private let partial = Locked<[UInt8]>([])
    /// A line longer than this is not an event line: it is dropped rather than held.
    static let maxLine = 1 << 20

    func split(_ buffer: ByteBuffer) -> [[UInt8]] {
        partial.withLock { partial in
            buffer.withUnsafeReadableBytes { raw -> [[UInt8]] in
                guard let base = raw.baseAddress else { return [] }
                var lines: [[UInt8]] = []
                var start = 0
                // memchr: a snapshot is megabytes, and a byte loop shows in a debug build's profile.
                while start < raw.count, let found = memchr(base + start, 0x0A, raw.count - start) {
                    let end = base.distance(to: UnsafeRawPointer(found))
                    let piece = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                    if partial.isEmpty {
                        if !piece.isEmpty { lines.append(Array(piece)) }
                    } else {
                        if partial.count + piece.count <= Self.maxLine { partial += piece }
                        lines.append(partial)
                        partial.removeAll(keepingCapacity: true)
                    }
                    start = end + 1
                }
                if start < raw.count, partial.count + raw.count - start <= Self.maxLine { partial += UnsafeRawBufferPointer(rebasing: raw[start...]) }
                return lines
            }
        }
    }
}
