import Engine

/// Which column a pane sorts by or hides: a name for the descriptor, kept in `PaneState` and,
/// by its raw value, in the preferences file.
enum ColumnID: String, Sendable, Equatable, Codable {
    case time, event, pid, ppid, user, comm, proto, address, port, result, ports, exe, discovered, node
    case matchedBy = "matched_by"
}

/// What a column sorts by: one number or one text per row, computed once per sort (not once
/// per comparison, as a comparator would: at 10,000 rows that is 140,000 comparisons).
enum SortKey: Comparable, Sendable {
    case number(Int64)
    case text(String)
}

/// How a column orders rows: not at all, by process identity (PID), or by a key.
enum ColumnOrder<Row>: Sendable {
    case none
    case identity
    case key(@Sendable (Row, MonitorState) -> SortKey)
}

/// One column of a pane, written once: its title, how wide it may be, what its cells say and
/// how it sorts. The renderer, the column header, the sort keys and the layout read it.
struct Column<Row>: Sendable {
    let id: ColumnID
    let title: String
    let width: WidthPolicy
    let cell: @Sendable (Row, MonitorState) -> String
    let order: ColumnOrder<Row>

    /// Whether the pane can sort by it.
    var sorts: Bool {
        if case .none = order { return false }
        return true
    }

    init(_ id: ColumnID, _ title: String, _ width: WidthPolicy, order: ColumnOrder<Row> = .none, cell: @escaping @Sendable (Row, MonitorState) -> String) {
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

    /// A column that sorts by a number; equal keys fall back to the process identity.
    init<N: BinaryInteger>(
        _ id: ColumnID, _ title: String, _ width: WidthPolicy, cell: @escaping @Sendable (Row, MonitorState) -> String,
        sortKey: @escaping @Sendable (Row, MonitorState) -> N
    ) {
        self.init(id, title, width, order: .key { .number(Int64(clamping: sortKey($0, $1))) }, cell: cell)
    }

    /// A column that sorts by text.
    init(
        _ id: ColumnID, _ title: String, _ width: WidthPolicy, cell: @escaping @Sendable (Row, MonitorState) -> String,
        sortKey: @escaping @Sendable (Row, MonitorState) -> String
    ) {
        self.init(id, title, width, order: .key { .text(sortKey($0, $1)) }, cell: cell)
    }
}

extension Column where Row == MonitorState.PaneRow {
    /// Whether `a` comes before `b` in this column's ascending order (ties by identity): for
    /// placing a few rows (the tombstones) among those of a `LiveOrder`.
    func precedes(_ a: Row, _ b: Row, in state: MonitorState) -> Bool {
        guard case .key(let key) = order else { return a.record.identity < b.record.identity }
        let (left, right) = (key(a, state), key(b, state))
        return left != right ? left < right : a.record.identity < b.record.identity
    }
}
