import Engine

/// Turns the monitor's state into a screen grid: a pure function, so every screen is testable
/// without a terminal. Layout: a header line, the three panes (or the inspect or help view),
/// and a bottom line with the keys that matter now, or the range prompt.
enum MonitorRenderer {
    static let minimumWidth = 80
    static let minimumHeight = 24

    struct Frame {
        var grid: ScreenGrid
        /// Rows each pane showed: the page size for PgUp/PgDn.
        var pageRows: [Pane: Int] = [:]
        /// Where the prompt's cursor sits, when the prompt is open.
        var cursor: (row: Int, column: Int)?
        /// What the help showed, when it is open: how far it scrolls, the page for PgUp/PgDn.
        var help: HelpView.Viewport?
    }

    /// `asciiOnly`: the terminal's locale is not UTF-8 (see `ScreenGrid.asciiOnly`).
    static func render(_ state: MonitorState, width: Int, height: Int, asciiOnly: Bool = false) -> Frame {
        var frame = Frame(grid: ScreenGrid(width: width, height: height, asciiOnly: asciiOnly))
        guard width >= minimumWidth, height >= minimumHeight else {
            tooSmall(&frame.grid)
            return frame
        }
        header(state, &frame.grid)
        let body = 1..<(height - 1)
        if state.showingHelp {
            frame.help = HelpView.render(state, rows: body, &frame.grid)
        } else if let inspection = state.inspecting {
            inspect(inspection, rows: body, &frame.grid)
        } else {
            panes(state, rows: body, &frame)
        }
        footer(state, row: height - 1, &frame)
        return frame
    }

    // MARK: - Header and footer

    static func header(_ state: MonitorState, _ grid: inout ScreenGrid) {
        let engine = state.engine
        let criteria = engine.criteria
        var parts = ["discotop", engine.mode.description, "ports \(criteria.topLevel.openPorts?.description ?? "any")"]
        if let exe = criteria.topLevel.exePathRegexp { parts.append("exe ~\(exe)") }
        if !criteria.selectors.isEmpty { parts.append("+\(criteria.selectors.count) config selectors") }
        parts.append("\(engine.processes.count) procs, \(engine.matchedCount) matched")
        if let scan = engine.lastFullScan {
            let duration = Double(scan.durationNanos / 10_000) / 100
            parts.append("scan \(WallClock.timeOfDay(engine.lastFullScanAt).prefix(8)) (\(duration) ms, \(scan.source))")
        }
        parts.append("lost \(engine.lostEvents)")
        if state.paused { parts.append("PAUSED") }
        grid.fill(row: 0, style: .header)
        grid.put(" " + parts.joined(separator: " | "), row: 0, column: 0, style: .header)
    }

    static func footer(_ state: MonitorState, row: Int, _ frame: inout Frame) {
        if let prompt = state.prompt {
            let label = "Ports: "
            frame.grid.fill(row: row, style: .prompt)
            frame.grid.put(label, row: row, column: 0, style: .keyLabel)
            let field = 40
            let text = prompt.string
            // Scroll the field so the cursor stays visible in long input.
            let start = max(0, prompt.cursor - field + 1)
            let visible = Array(text).dropFirst(start).prefix(field)
            let end = frame.grid.put(String(visible), row: row, column: label.count, style: .prompt)
            // In columns, not characters: typed text may hold wide characters.
            frame.cursor = (row, label.count + frame.grid.columns(of: String(visible.prefix(prompt.cursor - start))))
            let note = prompt.error.map { "  invalid: \($0) (filter unchanged)" } ?? "  Enter keep, Esc cancel"
            frame.grid.put(note, row: row, column: max(end, label.count + min(field, text.count)) + 1, style: prompt.error == nil ? .keyHint : .error)
            return
        }
        let keys: [(String, String)]
        if state.inspecting != nil {
            keys = [("Esc", "Back"), ("q", "Quit")]
        } else if let help = frame.help {
            keys = help.lastScroll > 0 ? [("Up Down PgUp PgDn", "Scroll"), ("any other key", "Back"), ("", help.position)] : [("any key", "Back")]
        } else {
            keys = [
                ("F1", "Help"), ("/", "Ports"), ("Tab", "Pane"), ("Enter", "Inspect"), ("<>", "Sort"), ("I", "Invert"),
                ("Space", state.paused ? "Resume" : "Pause"), ("+-", "Rate \(state.refreshMillis)ms"), ("q", "Quit"),
            ]
        }
        var column = 0
        frame.grid.fill(row: row, style: .keyHint)
        for (key, action) in keys {
            column = frame.grid.put(key + " ", row: row, column: column, style: .keyLabel)
            column = frame.grid.put(action + "  ", row: row, column: column, style: .keyHint)
        }
    }

    // MARK: - Panes

    static func panes(_ state: MonitorState, rows: Range<Int>, _ frame: inout Frame) {
        let total = rows.count
        let eventsHeight = max(5, total * 3 / 10)
        let matchedHeight = max(5, total * 3 / 10)
        let processesHeight = total - eventsHeight - matchedHeight
        var top = rows.lowerBound
        for (pane, height) in [(Pane.events, eventsHeight), (.processes, processesHeight), (.matched, matchedHeight)] {
            frame.pageRows[pane] = paneView(state, pane, top: top, height: height, &frame.grid)
            top += height
        }
    }

    /// Draws one pane; returns how many rows of data it showed.
    static func paneView(_ state: MonitorState, _ pane: Pane, top: Int, height: Int, _ grid: inout ScreenGrid) -> Int {
        let focused = state.focus == pane
        // Sorted once per frame and pane, not once per row.
        let rows = pane == .events ? [] : state.rows(for: pane)
        let count = pane == .events ? state.events.count : rows.count
        let sortNote = pane == .events ? "newest first" : "sort \((state.sort[pane] ?? .pid).label)\(state.inverted[pane] == true ? " desc" : "")"
        let title = " \(pane.title) (\(count)) - \(sortNote) "
        grid.fill(row: top, style: focused ? .focusedTitle : .title)
        grid.put(focused ? "> " + title : "  " + title, row: top, column: 0, style: focused ? .focusedTitle : .title)
        let columns = layout(pane, width: grid.width)
        var x = 0
        grid.fill(row: top + 1, style: .columnHeader)
        for (name, width) in columns {
            grid.put(name, row: top + 1, column: x, style: .columnHeader, limit: width)
            x += width + 1
        }
        let visible = height - 2
        let selected = state.selectedIndex(in: pane, rows: rows)
        let first = selected.map { $0 >= visible ? $0 - visible + 1 : 0 } ?? 0
        if count == 0 {
            grid.put(emptyText(state, pane), row: top + 2, column: 2, style: .dim)
            return visible
        }
        for offset in 0..<visible {
            let index = first + offset
            guard index < count else { break }
            let row = top + 2 + offset
            let (cells, style) = pane == .events ? eventCells(state, index) : processCells(state, pane, rows[index])
            let rowStyle = focused && index == selected ? CellStyle.selected : style
            if rowStyle != .normal { grid.fill(row: row, style: rowStyle) }
            var column = 0
            for ((_, width), text) in zip(columns, cells) {
                grid.put(text, row: row, column: column, style: rowStyle, limit: width)
                column += width + 1
            }
        }
        return visible
    }

    static func emptyText(_ state: MonitorState, _ pane: Pane) -> String {
        switch pane {
        case .events: return state.engine.mode.isEBPF ? "no bind or listen yet: events appear here the moment they happen" : "no kernel events in poll mode (\(state.engine.mode))"
        case .processes: return "no process holds a listening socket"
        case .matched: return state.engine.criteria.isEmpty ? "no criteria: press / and type ports, e.g. 8080,8000-8999" : "no process matches \(state.engine.criteria)"
        }
    }

    /// Column names and widths; the flexible column takes what is left.
    static func layout(_ pane: Pane, width: Int) -> [(String, Int)] {
        func flexible(_ fixed: [(String, Int)], _ name: String, share: Int, rest: String?) -> [(String, Int)] {
            let used = fixed.reduce(0) { $0 + $1.1 + 1 }
            let free = max(10, width - used - (rest == nil ? 0 : 1))
            let flex = rest == nil ? free : max(10, free * share / 100)
            var columns = fixed + [(name, flex)]
            if let rest { columns.append((rest, max(8, free - flex - 1))) }
            return columns
        }
        switch pane {
        case .events:
            let fixed: [(String, Int)] = [("TIME", 12), ("EVENT", 6), ("PID", 7), ("COMM", 15), ("PROTO", 5)]
            let tail: [(String, Int)] = [("PORT", 5), ("RESULT", 12)]
            let used = (fixed + tail).reduce(0) { $0 + $1.1 + 1 }
            return fixed + [("ADDRESS", max(15, width - used - 1))] + tail
        case .processes:
            return flexible([("PID", 7), ("USER", 8), ("COMM", 15)], "PORTS", share: 45, rest: "EXE")
        case .matched:
            return flexible([("PID", 7), ("COMM", 15), ("DISCOVERED", 17)], "PORTS", share: 45, rest: "MATCHED BY")
        }
    }

    static func eventCells(_ state: MonitorState, _ index: Int) -> ([String], CellStyle) {
        let timed = state.events[index]
        let e = timed.event
        let result = e.kind == .bind ? ErrnoName.of(result: e.result) : ""
        let cells = [
            WallClock.timeOfDay(timed.wallNanos), e.kind.rawValue, String(e.pid), e.comm, e.proto?.rawValue ?? "#\(e.protocolNumber)",
            e.address, String(e.port), result,
        ]
        var style = CellStyle.normal
        if e.kind == .bind, e.result < 0 {
            style = .error
        } else if state.engine.criteria.mentions(port: e.port) {
            style = .match
        }
        return (cells, style)
    }

    static func processCells(_ state: MonitorState, _ pane: Pane, _ row: (record: ProcessRecord, kind: MonitorState.RowKind)) -> ([String], CellStyle) {
        let (record, kind) = row
        let pending = state.engine.verdicts[record.identity]?.state == .pending
        let style: CellStyle = kind == .tombstone || pending ? .tombstone : state.isFresh(record.identity) ? .fresh
            : (pane == .processes && state.engine.verdicts[record.identity]?.matched == true) ? .match : .normal
        switch pane {
        case .matched:
            let verdict = state.engine.verdicts[record.identity]
            let since = state.engine.matchedAt[record.identity] ?? state.engine.discoveredAt[record.identity]
            let discovered = since.map { "\(WallClock.timeOfDay($0).prefix(8)) \(Age.text(nanos: state.now &- $0))" } ?? "?"
            let why = kind == .tombstone ? "(no longer matched) " + (verdict?.failure ?? "gone") : verdict?.summary ?? ""
            return ([String(record.pid), record.comm, discovered, PortText.summary(record.ports), why], style)
        default:
            let exe = kind == .tombstone ? "(gone) " + (record.exe ?? "?") : (record.exe ?? "?")
            return ([String(record.pid), record.user, record.comm, PortText.summary(record.ports), exe], style)
        }
    }

    // MARK: - Inspect, too small

    static func inspect(_ inspection: Inspection, rows: Range<Int>, _ grid: inout ScreenGrid) {
        grid.fill(row: rows.lowerBound, style: .focusedTitle)
        grid.put("> " + inspection.title, row: rows.lowerBound, column: 0, style: .focusedTitle)
        var row = rows.lowerBound + 2
        for line in inspection.lines where row < rows.upperBound {
            grid.put(line.label, row: row, column: 2, style: .keyLabel, limit: 11)
            grid.put(line.value, row: row, column: 14, style: line.style, limit: grid.width - 15)
            row += 1
        }
    }

    static func tooSmall(_ grid: inout ScreenGrid) {
        let message = "terminal too small: \(grid.width)x\(grid.height), discotop needs at least \(minimumWidth)x\(minimumHeight)"
        let lines = [message, "enlarge the window, or press q to quit"]
        for (offset, line) in lines.enumerated() {
            let row = grid.height / 2 - 1 + offset
            let column = max(0, (grid.width - line.count) / 2)
            grid.put(line, row: max(0, row), column: column, style: offset == 0 ? .error : .normal)
        }
    }
}
