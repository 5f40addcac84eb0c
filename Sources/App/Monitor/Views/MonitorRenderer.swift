import Engine

/// Turns the monitor's state into a screen grid: a pure function, so every screen is testable
/// without a terminal. Layout: a header line, the three panes (or the inspect or help view),
/// and a bottom line with the keys that matter now, or the range prompt.
enum MonitorRenderer {
    static let minimumWidth = 80
    static let minimumHeight = 24

    struct Frame {
        var grid: ScreenGrid
        /// Where each pane was drawn: its data rows are the page for PgUp/PgDn, and the mouse's targets.
        var layout: [PaneLayout] = []
        /// Where the prompt's cursor sits, when the prompt is open.
        var cursor: (row: Int, column: Int)?
        /// What the help or the inspect view showed: how far it scrolls, the page for PgUp/PgDn.
        var scroll: Viewport?
    }

    /// `asciiOnly`: the terminal's locale is not UTF-8 (see `ScreenGrid.asciiOnly`).
    static func render(_ state: MonitorState, width: Int, height: Int, asciiOnly: Bool = false) -> Frame {
        var frame = Frame(grid: ScreenGrid(width: width, height: height, asciiOnly: asciiOnly))
        guard width >= minimumWidth, height >= minimumHeight else {
            tooSmall(&frame.grid)
            return frame
        }
        Header.render(state, &frame.grid)
        let body = 1..<(height - 1)
        if state.showingHelp {
            frame.scroll = HelpView.render(state, rows: body, &frame.grid)
        } else if let inspecting = state.inspecting {
            frame.scroll = InspectView.render(inspecting, rows: body, &frame.grid)
        } else {
            panes(state, rows: body, &frame)
            if let menu = state.menu { MenuView.render(state, menu, rows: body, &frame.grid) }
        }
        if let prompt = state.prompt {
            promptLine(prompt, row: height - 1, &frame)
        } else {
            Footer.render(state, table: state.keyTable, scroll: frame.scroll, row: height - 1, &frame.grid)
        }
        return frame
    }

    static func promptLine(_ prompt: PromptState, row: Int, _ frame: inout Frame) {
        let label = prompt.purpose.label
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
        let note = prompt.error.map { "  invalid: \($0) (filter unchanged)" } ?? "  " + prompt.purpose.hint
        frame.grid.put(note, row: row, column: max(end, label.count + min(field, text.count)) + 1, style: prompt.error == nil ? .keyHint : .error)
    }

    static func panes(_ state: MonitorState, rows: Range<Int>, _ frame: inout Frame) {
        var top = rows.lowerBound
        for (pane, height) in state.paneShares.heights(total: rows.count) {
            frame.layout.append(PaneView.render(state, pane, top: top, height: height, &frame.grid))
            top += height
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

extension MonitorState {
    /// Keeps what a frame showed that the keys need: page sizes and scroll extents.
    mutating func remember(_ frame: MonitorRenderer.Frame) {
        for drawn in frame.layout { panes[drawn.pane].pageRows = drawn.dataRows.count }
        layout = frame.layout
        help?.shown = frame.scroll
        inspecting?.scroll.shown = frame.scroll
    }
}
