import Engine

/// One pane: its title, its column header and the rows that fit, with columns laid out from
/// their descriptors and the cells they show.
enum PaneView {
    /// Draws `pane` at `top`, `height` rows; returns where it drew, for the mouse.
    static func render(_ state: MonitorState, _ pane: Pane, top: Int, height: Int, _ grid: inout ScreenGrid) -> PaneLayout {
        let focused = state.focus == pane
        let paneState = state.panes[pane]
        let visible = height - 2
        // Sorted once per frame and pane, not once per row.
        let rows = state.rows(for: pane)
        let events = pane == .events ? state.shownEvents : []
        let count = pane == .events ? events.count : rows.count
        let selected = state.selectedIndex(in: pane, rows: rows)
        let first = selected.map { $0 >= visible ? $0 - visible + 1 : 0 } ?? 0
        let shown = first..<min(count, first + max(0, visible))
        grid.fill(row: top, style: focused ? .focusedTitle : .title)
        grid.put((focused ? "> " : "  ") + title(state, pane, count: count), row: top, column: 0, style: focused ? .focusedTitle : .title)
        let table: Table
        if pane == .events {
            let matching = matchingPIDs(state)
            table = Table(PaneColumns.shownEvents(hiding: state.hiddenColumns(in: pane)), events[shown], state, grid) { eventStyle($0.event, matching: matching) }
        } else {
            table = Table(PaneColumns.shown(in: pane, hiding: state.hiddenColumns(in: pane)), rows[shown], state, grid) { processStyle(state, pane, $0) }
        }
        table.draw(top: top + 1, selected: focused ? selected.map { $0 - first } : nil, &grid)
        if count == 0 { grid.put(emptyText(state, pane), row: top + 2, column: 2, style: .dim) }
        return PaneLayout(
            pane: pane, titleRow: top, headerRow: top + 1, dataRows: (top + 2)..<(top + 2 + max(0, visible)), firstIndex: first,
            spans: table.spans)
    }

    /// ` Processes (12, 2 tagged) - tree, sort PID `: what the pane holds and how it is ordered.
    static func title(_ state: MonitorState, _ pane: Pane, count: Int) -> String {
        let paneState = state.panes[pane]
        var holds = "\(count)"
        if pane != .events {
            let tags = state.tagged.count
            if tags > 0 { holds += ", \(tags) tagged" }
        }
        let order = pane == .events ? "newest first"
            : "\(state.tree ? "tree, " : "")sort \(PaneColumns.sortColumn(of: pane, paneState.sort).title)\(paneState.inverted ? " desc" : "")"
        return " \(pane.title) (\(holds)) - \(order) "
    }

    /// The cells of the rows on screen, laid out: built once, then measured and drawn.
    struct Table {
        var titles: [String]
        var policies: [WidthPolicy]
        var cells: [[String]]
        var styles: [CellStyle]
        var widths: [Int?]
        var ids: [ColumnID]

        init<Row>(_ columns: [Column<Row>], _ rows: some Collection<Row>, _ state: MonitorState, _ grid: ScreenGrid, style: (Row) -> CellStyle) {
            let titles = columns.map(\.title)
            let cells = rows.map { row in columns.map { $0.cell(row, state) } }
            let content = columns.indices.map { index in
                cells.reduce(grid.columns(of: titles[index])) { max($0, grid.columns(of: $1[index])) }
            }
            self.titles = titles
            self.cells = cells
            policies = columns.map(\.width)
            ids = columns.map(\.id)
            styles = rows.map(style)
            widths = ColumnLayout.widths(policies, content: content, available: grid.width)
        }

        func draw(top: Int, selected: Int?, _ grid: inout ScreenGrid) {
            grid.fill(row: top, style: .columnHeader)
            put(titles, row: top, style: .columnHeader, &grid)
            for (offset, row) in cells.enumerated() {
                let style = offset == selected ? CellStyle.selected : styles[offset]
                if style != .normal { grid.fill(row: top + 1 + offset, style: style) }
                put(row, row: top + 1 + offset, style: style, &grid)
            }
        }

        /// The screen columns each shown column takes, the gap after it included: a click on a
        /// title lands in one.
        var spans: [PaneLayout.ColumnSpan] {
            var column = 0
            var spans: [PaneLayout.ColumnSpan] = []
            for (index, width) in widths.enumerated() {
                guard let width else { continue }
                spans.append(PaneLayout.ColumnSpan(id: ids[index], columns: column..<(column + width + ColumnLayout.gap)))
                column += width + ColumnLayout.gap
            }
            return spans
        }

        private func put(_ texts: [String], row: Int, style: CellStyle, _ grid: inout ScreenGrid) {
            var column = 0
            for (index, text) in texts.enumerated() {
                guard let width = widths[index] else { continue }
                grid.put(text, row: row, column: column, style: style, limit: width, elision: policies[index].elision)
                column += width + ColumnLayout.gap
            }
        }
    }

    /// Pids whose process the engine matched: their bind events stand out. The engine's
    /// verdicts decide, exclusions included; the view does not match ports on its own.
    static func matchingPIDs(_ state: MonitorState) -> Set<Int32> {
        state.matched.pids
    }

    static func eventStyle(_ event: KernelEvent, matching: Set<Int32>) -> CellStyle {
        if event.kind == .bind, event.result < 0 { return .error }
        return matching.contains(event.pid) ? .match : .normal
    }

    static func processStyle(_ state: MonitorState, _ pane: Pane, _ row: MonitorState.PaneRow) -> CellStyle {
        let verdict = state.engine.verdicts[row.record.identity]
        if row.kind == .tombstone || verdict?.state == .pending { return .tombstone }
        if state.tagged.contains(row.record.identity) { return .tagged }
        if state.isFresh(row.record.identity) { return .fresh }
        return pane == .processes && verdict?.matched == true ? .match : .normal
    }

    static func emptyText(_ state: MonitorState, _ pane: Pane) -> String {
        if let filter = state.filter { return "nothing here contains \"\(filter.text)\" (Esc clears the filter)" }
        switch pane {
        case .events where !state.engine.nodes.isEmpty: return "no bind or listen on the agents yet: their events appear here as they stream in"
        case .events: return state.engine.mode.isEBPF ? "no bind or listen yet: events appear here the moment they happen" : "no kernel events in poll mode (\(state.engine.mode))"
        case .processes: return "no process holds a listening socket"
        case .matched: return state.engine.criteria.isEmpty ? "no criteria: press / and type ports, e.g. 8080,8000-8999" : "no process matches \(state.engine.criteria)"
        }
    }
}
