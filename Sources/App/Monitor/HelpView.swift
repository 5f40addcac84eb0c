import Engine

/// The help screen: every key, the mode and the selectors, wrapped at word boundaries to the
/// screen's width and scrolled when it does not fit (at 80x24 it does not).
enum HelpView {
    static let title = "> Help: which processes open which ports, the moment they do it"

    static let keys: [(String, String)] = [
        ("Bind events", "every bind, listen and close as the kernel reports it, newest first; bold when the port matches"),
        ("Processes", "every process holding a listening socket; green rows are new, dim rows just vanished"),
        ("Matched", "processes meeting the criteria, when they were discovered and which criteria matched"),
        ("", ""),
        ("/", "edit the port ranges (e.g. 8080,8000-8999): panes re-filter as you type a valid list"),
        ("", "  Enter keeps, Esc restores; Backspace, Ctrl-U, Ctrl-W, Left/Right, Home/End edit"),
        ("Tab S-Tab", "move focus between panes"),
        ("Up Down j k", "move the selection; PgUp/PgDn by a page; Home/End (g/G) to the ends"),
        ("< >", "change the sort column; I inverts it"),
        ("Enter i", "inspect the selected process (exe, cmdline, parents, cgroup, sockets, language)"),
        ("Space", "pause updates; + and - change the refresh rate"),
        ("Ctrl-L", "redraw the screen"),
        ("? F1", "this help: Up/Down, PgUp/PgDn and Home/End scroll it, any other key goes back"),
        ("q F10 Ctrl-C", "quit"),
    ]

    struct Line: Equatable {
        var key = ""
        var text = ""
        var style = CellStyle.normal
    }

    static let keyColumn = 2
    static let textColumn = 17

    /// Every line of the help for a screen `width` wide, before scrolling.
    static func lines(_ state: MonitorState, width: Int) -> [Line] {
        var lines: [Line] = []
        let textWidth = width - textColumn - 1
        for (key, text) in keys {
            for (index, part) in WordWrap.lines(SafeText.sanitize(text), width: textWidth).enumerated() {
                lines.append(Line(key: index == 0 ? key : "", text: part))
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

    /// Which lines of how many show, and how far they can scroll.
    struct Viewport: Equatable {
        var first: Int
        var page: Int
        var total: Int
        var lastScroll: Int { max(0, total - page) }
        var position: String { "lines \(first + 1)-\(min(total, first + page)) of \(total)" }
    }

    /// Draws the help in `rows`, from line `state.helpScroll` on (clamped so the page stays full).
    @discardableResult
    static func render(_ state: MonitorState, rows: Range<Int>, _ grid: inout ScreenGrid) -> Viewport {
        grid.fill(row: rows.lowerBound, style: .focusedTitle)
        grid.put(title, row: rows.lowerBound, column: 0, style: .focusedTitle)
        let all = lines(state, width: grid.width)
        var viewport = Viewport(first: 0, page: max(1, rows.count - 2), total: all.count)
        viewport.first = min(max(0, state.helpScroll), viewport.lastScroll)
        for (offset, line) in all.dropFirst(viewport.first).prefix(viewport.page).enumerated() {
            let row = rows.lowerBound + 2 + offset
            if line.key.isEmpty, line.style == .dim {
                grid.put(line.text, row: row, column: keyColumn, style: .dim)
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
