import Engine

/// `discotop list` as an aligned table, one row per process.
enum ListTable {
    static func render(rows: [(ProcessRecord, MatchVerdict)], showMatch: Bool) -> String {
        var table: [[String]] = [["PID", "USER", "COMM", "PORTS", "EXE"] + (showMatch ? ["MATCH"] : [])]
        for (record, verdict) in rows {
            var row = [
                String(record.pid), SafeText.sanitize(record.user), SafeText.sanitize(record.comm),
                PortText.summary(record.ports), SafeText.sanitize(record.exe ?? "?"),
            ]
            if showMatch { row.append(Self.matchCell(verdict)) }
            table.append(row)
        }
        // EXE is the last wide column: never pad it, so long paths do not push MATCH off screen.
        // Widths are display columns: a name in CJK takes two per character.
        let widths = (0..<table[0].count).map { column in table.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(to: widths[column])
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }

    /// `MATCH web`, `INHERITED 812`, `PENDING`, `EXCLUDED default_exclude[0]`, or empty.
    static func matchCell(_ verdict: MatchVerdict) -> String {
        switch verdict.state {
        case .matched: "MATCH " + SafeText.sanitize(verdict.selectors.joined(separator: ","))
        case .inherited: "INHERITED \(verdict.inheritedFrom.map(String.init) ?? "?")"
        case .pending: "PENDING"
        case .excluded: "EXCLUDED " + SafeText.sanitize(verdict.selectors.joined(separator: ","))
        case .unmatched: ""
        }
    }
}

/// How ports read in text: `8080/tcp` for a wildcard address, `127.0.0.1:8080/tcp`,
/// `[::1]:8080/tcp`; `?` when unknown.
enum PortText {
    static func summary(_ ports: [HeldSocket]?) -> String {
        guard let ports else { return "?" }
        if ports.isEmpty { return "-" }
        var seen = Set<String>()
        return ports.map { one($0.socket) }.filter { seen.insert($0).inserted }.joined(separator: ",")
    }

    static func one(_ socket: ListeningSocket) -> String {
        let suffix = "\(socket.port)/\(socket.proto.rawValue)"
        switch socket.address {
        case "0.0.0.0", "::": return suffix
        default: return socket.family == .ipv6 ? "[\(socket.address)]:\(suffix)" : "\(socket.address):\(suffix)"
        }
    }
}

extension String {
    /// Padded to `width` display columns (see `DisplayWidth`), for aligned text columns.
    func padding(to width: Int) -> String {
        DisplayWidth.padded(self, to: width)
    }

    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
