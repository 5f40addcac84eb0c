import Engine

/// `discotop_process_info` (one series per process) and `discotop_listening_socket_info` (one
/// per listening socket), written from the state at each scrape, so a process that went away
/// leaves no series behind.
///
/// Written here in the text format rather than through swift-prometheus like the rest of
/// `/metrics`: its registry copies a family's whole label-set dictionary for every series it
/// registers, so a family of n series costs O(n²) to build: at P=3,000 (about 12,000 series)
/// the first scrape took 25 s, and with the series kept between scrapes each scrape still took
/// 160 ms (bench/serve.py, docs/PERFORMANCE.md). Only always-1 gauges are written here: the format's whole job is the
/// escaping of label values, which `LabelValue` does as the format specifies.
enum ProcessSeries {
    static func emit(_ state: EngineState, into buffer: inout [UInt8]) {
        let records = state.records.values
        guard !records.isEmpty else { return }
        header("discotop_process_info", help: "Always 1: a process discotop discovered, and whether and how it matches.", into: &buffer)
        for record in records {
            let verdict = state.verdicts[record.identity] ?? .noCriteria
            series("discotop_process_info", [
                ("pid", String(record.pid)), ("comm", record.comm), ("exe", record.exe ?? ""), ("service_name", verdict.serviceName ?? ""),
                ("selector", verdict.selectors.joined(separator: ",")), ("match", verdict.state.rawValue),
            ], into: &buffer)
        }
        guard records.contains(where: { $0.ports?.isEmpty == false }) else { return }
        header("discotop_listening_socket_info", help: "Always 1: a listening socket and the process holding it.", into: &buffer)
        for record in records {
            for held in record.ports ?? [] {
                series("discotop_listening_socket_info", [
                    ("pid", String(record.pid)), ("proto", held.socket.proto.rawValue), ("family", held.socket.family.rawValue),
                    ("address", held.socket.address), ("port", String(held.socket.port)),
                ], into: &buffer)
            }
        }
    }

    private static func header(_ name: String, help: String, into buffer: inout [UInt8]) {
        buffer += Array("# HELP \(name) \(help)\n# TYPE \(name) gauge\n".utf8)
    }

    private static func series(_ name: String, _ labels: [(String, String)], into buffer: inout [UInt8]) {
        buffer += name.utf8
        buffer.append(UInt8(ascii: "{"))
        for (index, (label, value)) in labels.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer += label.utf8
            buffer += [UInt8(ascii: "="), UInt8(ascii: "\"")]
            LabelValue.append(value, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
        }
        buffer += Array("} 1\n".utf8)
    }
}

/// A label value in the Prometheus text format: backslash, double quote and line feed escaped
/// (`\\`, `\"`, `\n`), everything else as its UTF-8.
enum LabelValue {
    static func append(_ value: String, to buffer: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\""): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\n"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            default: buffer.append(byte)
            }
        }
    }
}
