import Engine

/// The help screen: what each pane shows, every key of every screen from the key tables, the
/// mode and the selectors, wrapped at word boundaries to the screen's width and scrolled when
/// it does not fit (at 80x24 it does not).
enum HelpView {
    static let title = "> Help: which processes open which ports, the moment they do it"

    static let panes: [(String, String)] = [
        ("Bind events", "every bind, listen and close as the kernel reports it, newest first; bold when the process matches"),
        ("Processes", "every process holding a listening socket; green rows are new, dim rows just vanished"),
        ("Matched", "processes meeting the criteria, when they were discovered (~ and the time it started for a process already running when the monitor started) and which criteria matched"),
    ]

    struct Line: Equatable {
        var key = ""
        var text = ""
        var style = CellStyle.normal
    }

    static let keyColumn = 2
    static let textColumn = 17

    /// The entries the help lists, key names and text, screen by screen.
    static func entries() -> [(title: String, rows: [(keys: String, text: String)])] {
        [("", panes.map { (keys: $0.0, text: $0.1) })] + KeyTables.all.map { table in
            var rows = table.bindings.map { (keys: $0.names, text: $0.help) }
            if let other = table.otherKeys { rows.append((keys: "any other key", text: other.help)) }
            return (title: "Keys in \(table.title):", rows: rows)
        }
    }

    /// Every line of the help for a screen `width` wide, before scrolling.
    static func lines(_ state: MonitorState, width: Int) -> [Line] {
        var lines: [Line] = []
        for section in entries() {
            if !section.title.isEmpty { lines += [Line(), Line(key: section.title, style: .title)] }
            for row in section.rows {
                // Keys wider than their column get a line of their own, the text below them.
                let ownLine = row.keys.count > textColumn - keyColumn - 1
                if ownLine { lines.append(Line(key: row.keys)) }
                for (index, part) in WordWrap.lines(SafeText.sanitize(row.text), width: width - textColumn - 1).enumerated() {
                    lines.append(Line(key: index == 0 && !ownLine ? row.keys : "", text: part))
                }
            }
        }
        lines.append(Line())
        let notes = ["Mode: \(state.engine.mode)"] + selectorLines(state.engine.criteria)
        for note in notes {
            for part in WordWrap.lines(SafeText.sanitize(note), width: width - keyColumn - 1) {
                lines.append(Line(text: part, style: .dim))
            }
        }
        return lines
    }

    /// Draws the help in `rows`, from the help's scroll position on (clamped so the page stays full).
    @discardableResult
    static func render(_ state: MonitorState, rows: Range<Int>, _ grid: inout ScreenGrid) -> Viewport {
        grid.fill(row: rows.lowerBound, style: .focusedTitle)
        grid.put(title, row: rows.lowerBound, column: 0, style: .focusedTitle)
        let all = lines(state, width: grid.width)
        let viewport = Viewport(top: state.help?.top ?? 0, page: rows.count - 2, total: all.count)
        for (offset, line) in all.dropFirst(viewport.first).prefix(viewport.page).enumerated() {
            let row = rows.lowerBound + 2 + offset
            if line.key.isEmpty, line.style == .dim {
                grid.put(line.text, row: row, column: keyColumn, style: .dim)
            } else if line.style == .title || line.text.isEmpty {
                grid.put(line.key, row: row, column: keyColumn, style: line.style == .title ? .title : .keyLabel)
            } else {
                grid.put(line.key, row: row, column: keyColumn, style: .keyLabel, limit: textColumn - keyColumn - 1)
                grid.put(line.text, row: row, column: textColumn, style: line.style)
            }
        }
        return viewport
    }

    /// The selectors in effect, in the order they are tried, then the exclusions.
    static func selectorLines(_ criteria: Criteria) -> [String] {
        let instrument = criteria.instrument
        guard !instrument.isEmpty else { return ["Selectors: none (type / to give port ranges)"] }
        var lines = ["Selectors (any may match, tried in order; / edits the ports of \"\(criteria.topLevel.label)\"):"]
        for selector in instrument { lines.append("  \(selector.label): \(selector.description)") }
        for selector in criteria.exclusions { lines.append("  exclude \(selector.label): \(selector.description)") }
        return lines
    }
}
