/// A mouse click, on the layout the last frame drew: a row is selected (and its pane
/// focused), a column title sorts by that column, and again inverts, as in htop.
extension MonitorState {
    mutating func click(_ press: MousePress) -> Reaction {
        guard let layout = layout.first(where: { $0.rows.contains(press.row) }) else { return .none }
        let pane = layout.pane
        focus = pane
        if press.row == layout.headerRow {
            guard let span = layout.spans.first(where: { $0.columns.contains(press.column) }),
                  sortable(in: pane).contains(span.id) else { return .redraw }
            if panes[pane].sort == span.id {
                panes[pane].inverted.toggle()
            } else {
                panes[pane].sort = span.id
                panes[pane].inverted = false
            }
        } else if layout.dataRows.contains(press.row) {
            let rows = rows(for: pane)
            let count = pane == .events ? shownEvents.count : rows.count
            let index = layout.firstIndex + press.row - layout.dataRows.lowerBound
            if index < count { select(index: index, in: pane, rows: rows) }
        }
        return .redraw
    }
}
