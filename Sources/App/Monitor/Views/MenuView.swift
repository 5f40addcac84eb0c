/// An open menu, as a box over the middle of the panes: its title, its items (the selected one
/// highlighted) or, for a chosen signal, the question and the processes it would go to.
enum MenuView {
    /// Lines of a box, before it is placed: the first is the title.
    static func lines(_ state: MonitorState, _ menu: MenuState) -> [String] {
        guard let signal = menu.confirming, case .signal(let targets) = menu.purpose else {
            return [menu.title] + state.menuItems.map { "\($0.mark.leftPadded(to: 3)) \($0.label)" }
        }
        let shown = targets.prefix(8).map { "  \($0.pid) \($0.comm)" }
        let more = targets.count > shown.count ? ["  and \(targets.count - shown.count) more"] : []
        return ["Send \(signal.name) to \(targets.count == 1 ? "this process" : "these \(targets.count) processes")?"] + shown + more
            + ["", "y sends it, any other key cancels"]
    }

    static func render(_ state: MonitorState, _ menu: MenuState, rows: Range<Int>, _ grid: inout ScreenGrid) {
        let lines = lines(state, menu)
        let width = min(grid.width - 4, (lines.map { grid.columns(of: $0) }.max() ?? 0) + 4)
        let height = min(rows.count - 2, lines.count + 2)
        let top = rows.lowerBound + max(1, (rows.count - height) / 2)
        let left = max(0, (grid.width - width) / 2)
        for row in top..<(top + height) { grid.fill(row: row, column: left, count: width, style: .menu) }
        grid.fill(row: top, column: left, count: width, style: .focusedTitle)
        grid.put(" " + lines[0], row: top, column: left, style: .focusedTitle, limit: width, elision: .end)
        // Items scroll so the selected one stays in the box.
        let room = height - 2
        let items = Array(lines.dropFirst())
        let selected = menu.confirming == nil ? menu.selected : nil
        let first = selected.map { $0 >= room ? $0 - room + 1 : 0 } ?? 0
        for (offset, line) in items.dropFirst(first).prefix(room).enumerated() {
            let row = top + 1 + offset
            let style: CellStyle = first + offset == selected ? .selected : .menu
            if style == .selected { grid.fill(row: row, column: left + 1, count: width - 2, style: style) }
            grid.put(line, row: row, column: left + 2, style: style, limit: width - 3, elision: .end)
        }
    }
}

extension String {
    /// The text right-aligned in `width` characters: menu marks and signal numbers line up.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
