import Engine
import Foundation

/// The inspect view's content as `GET /v1/processes/PID` sends it: computed on the agent
/// (whose /proc and ELF files it reads), drawn by the monitor that asked.
enum InspectJSON {
    /// What a line's style says, named on the wire: the three an inspection uses.
    private enum Emphasis: String, Codable {
        case normal, match, error

        init(_ style: CellStyle) {
            self = style == .match ? .match : style == .error ? .error : .normal
        }

        var style: CellStyle {
            switch self {
            case .normal: .normal
            case .match: .match
            case .error: .error
            }
        }
    }

    static func document(_ inspection: Inspection) -> [UInt8] {
        var json = JSONWriter(capacity: 2048)
        json.object { o in
            // First, as in every agent document: clients check it before anything else.
            o.key("schema_version"); o.number(ListJSON.schemaVersion)
            o.key("pid"); o.number(inspection.pid)
            o.key("title"); o.string(inspection.title)
            o.key("lines")
            o.array { a in
                for line in inspection.lines {
                    a.object { l in
                        l.key("label"); l.string(line.label)
                        l.key("value"); l.string(line.value)
                        l.key("style"); l.string(Emphasis(line.style).rawValue)
                    }
                }
            }
        }
        return json.bytes + [UInt8(ascii: "\n")]
    }

    private struct Wire: Decodable {
        var pid: Int32
        var title: String
        var lines: [Line]
        struct Line: Decodable {
            var label: String
            var value: String
            var style: Emphasis
        }
    }

    static func decode(_ body: [UInt8], from url: AgentURL) throws(ConnectFailure) -> Inspection {
        try AgentSchema.check(body, from: url)
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: Data(body))
            return Inspection(pid: wire.pid, title: wire.title, lines: wire.lines.map { Inspection.Line(label: $0.label, value: $0.value, style: $0.style.style) })
        } catch {
            throw .notDiscotop(url, reason: "its inspect answer is not readable (\(SafeText.sanitize(AgentDocument.describe(error))))")
        }
    }
}

extension Inspection {
    /// What the view says when the content could not be had (an agent unreachable, the process gone).
    static func failed(_ record: ProcessRecord, _ reason: String) -> Inspection {
        Inspection(pid: record.pid, title: "Inspect pid \(record.pid) (\(record.comm))", lines: [Line(label: "error", value: reason, style: .error)])
    }
}

extension AgentClient {
    /// The agent's inspect view of `record`: the start time says it is still the same process.
    func inspection(of record: ProcessRecord) throws(ConnectFailure) -> Inspection {
        let path = "/v1/processes/\(record.pid)?start_time=\(record.identity.startTime)"
        let response = try get(path)
        if response.status == .notFound { throw .status(url, path: "/v1/processes/\(record.pid)", code: 404, text: "that process is gone") }
        try expectOK(response, path: path)
        return try InspectJSON.decode(response.body, from: url)
    }
}
