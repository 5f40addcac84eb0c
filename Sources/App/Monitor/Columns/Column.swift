import Engine

/// Which column a pane sorts by or hides: a name for the descriptor, kept in `PaneState` and,
/// by its raw value, in the preferences file.
enum ColumnID: String, Sendable, Equatable, Codable {
    case time, event, pid, ppid, user, comm, proto, address, port, result, ports, exe, discovered, node
    case matchedBy = "matched_by"
}

/// One column of a pane, written once: its title, how wide it may be, what its cells say and
/// how it sorts. The renderer, the column header, the sort keys and the layout read it.
struct Column<Row>: Sendable {
    let id: ColumnID
    let title: String
    let width: WidthPolicy
    let cell: @Sendable (Row, MonitorState) -> String
    /// How rows order by this column; nil when the pane cannot sort by it.
    let order: (@Sendable (Row, Row, MonitorState) -> Bool)?

    init(
        _ id: ColumnID, _ title: String, _ width: WidthPolicy, cell: @escaping @Sendable (Row, MonitorState) -> String,
        order: (@Sendable (Row, Row, MonitorState) -> Bool)? = nil
    ) {
        self.id = id
        self.title = title
        // A title is fixed text: a column narrower than its title drops, it is never cut mid-word.
        var width = width
        width.minimum = max(width.minimum, DisplayWidth.of(title))
        if let maximum = width.maximum { width.maximum = max(maximum, width.minimum) }
        self.width = width
        self.cell = cell
        self.order = order
    }

    /// A column that sorts by a key; equal keys fall back to `tieBreak` so the order is stable.
    init<Key: Comparable>(
        _ id: ColumnID, _ title: String, _ width: WidthPolicy, cell: @escaping @Sendable (Row, MonitorState) -> String,
        sortKey: @escaping @Sendable (Row, MonitorState) -> Key
    ) {
        self.init(id, title, width, cell: cell, order: { a, b, state in sortKey(a, state) < sortKey(b, state) })
    }
}

extension Column where Row == MonitorState.PaneRow {
    /// `rows` in this column's order (ties by process identity), reversed when `inverted`.
    func sorted(_ rows: [Row], in state: MonitorState, inverted: Bool) -> [Row] {
        let order = self.order ?? { a, b, _ in a.record.identity < b.record.identity }
        let less: (Row, Row) -> Bool = { a, b in
            order(a, b, state) || (!order(b, a, state) && a.record.identity < b.record.identity)
        }
        return rows.sorted { inverted ? less($1, $0) : less($0, $1) }
    }
}
