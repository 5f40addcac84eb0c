import Engine

/// The top line: segments by priority. On a narrow screen the optional ones go first; the
/// mode, the criteria, the counts, lost events and PAUSED always stay, cut with `…` if they
/// must be.
enum Header {
    struct Segment {
        var text: String
        /// Nil: always shown. Otherwise the lowest goes first.
        var dropPriority: Int?
    }

    static func segments(_ state: MonitorState, continuing: String = "…") -> [Segment] {
        let engine = state.engine
        let criteria = engine.criteria
        var segments = [Segment(text: "discotop", dropPriority: 2)]
        if engine.nodes.isEmpty {
            segments.append(Segment(text: engine.mode.description))
            segments.append(Segment(text: "ports \(criteria.topLevel.openPorts?.description ?? "any")"))
        } else {
            segments += RemoteHeader.segments(engine.nodes, criteria: criteria)
        }
        if let exe = criteria.topLevel.exePathRegexp { segments.append(Segment(text: "exe ~\(exe)")) }
        if !criteria.selectors.isEmpty { segments.append(Segment(text: "+\(criteria.selectors.count) config selectors")) }
        if let wanted = state.requestedCriteria {
            segments.append(Segment(text: "applying ports \(wanted.topLevel.openPorts?.description ?? "any")\(continuing)"))
        }
        if let filter = state.filter { segments.append(Segment(text: "filter \"\(filter.text)\"")) }
        segments.append(Segment(text: "\(engine.records.count) procs, \(state.matched.count) matched"))
        if let scan = engine.lastFullScan {
            let duration = Double(scan.durationNanos / 10_000) / 100
            segments.append(Segment(text: "scan \(WallClock.timeOfDay(engine.lastFullScanAt).prefix(8)) (\(duration) ms, \(scan.source))", dropPriority: 1))
        }
        segments.append(Segment(text: "lost \(engine.lostEvents)"))
        if state.paused { segments.append(Segment(text: "PAUSED")) }
        return segments
    }

    static let separator = " | "

    static func text(_ state: MonitorState, width: Int, grid: ScreenGrid) -> String {
        var segments = segments(state, continuing: grid.continuing)
        func length() -> Int { 1 + segments.map { grid.columns(of: $0.text) }.reduce(0, +) + max(0, segments.count - 1) * separator.count }
        let optional = segments.indices.filter { segments[$0].dropPriority != nil }.sorted { segments[$0].dropPriority! < segments[$1].dropPriority! }
        var dropped = Set<Int>()
        for index in optional where length() > width {
            dropped.insert(index)
            segments[index].text = ""
        }
        segments = segments.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        // Still too wide: the longest segment (the mode, or a long port list) gives way.
        while length() > width, let longest = segments.indices.max(by: { segments[$0].text.count < segments[$1].text.count }),
              segments[longest].text.count > 8 {
            let room = grid.columns(of: segments[longest].text) - (length() - width)
            segments[longest].text = Elision.end.fit(segments[longest].text, columns: max(8, room), ellipsis: grid.ellipsis)
        }
        return " " + segments.map(\.text).joined(separator: separator)
    }

    static func render(_ state: MonitorState, _ grid: inout ScreenGrid) {
        grid.fill(row: 0, style: .header)
        grid.put(text(state, width: grid.width, grid: grid), row: 0, column: 0, style: .header)
    }
}
