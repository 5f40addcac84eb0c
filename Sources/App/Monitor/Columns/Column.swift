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
    /// `rows` in this column's order (ties by process identity), reversed when `inverted`.
    /// Sorts positions by keys taken once, so no row (a record of strings and arrays) moves
    /// until the order is known.
    func sorted(_ rows: [Row], in state: MonitorState, inverted: Bool) -> [Row] {
        let identities = rows.map(\.record.identity)
        var positions = Array(rows.indices)
        if case .key(let key) = order {
            let ranks = Self.ranks(rows.map { key($0, state) })
            positions.sort { a, b in
                if ranks[a] != ranks[b] { return (ranks[a] < ranks[b]) != inverted }
                return (identities[a] < identities[b]) != inverted
            }
        } else {
            positions.sort { a, b in (identities[a] < identities[b]) != inverted }
        }
        return positions.map { rows[$0] }
    }

    /// Each key as a number in the keys' order: texts are compared once per distinct text
    /// (a column holds few: users, commands, executables), not once per comparison, where a
    /// String comparison costs a Unicode-aware walk.
    private static func ranks(_ keys: [SortKey]) -> [Int64] {
        var texts = Set<String>()
        for case .text(let text) in keys { texts.insert(text) }
        let rank = Dictionary(uniqueKeysWithValues: texts.sorted().enumerated().map { ($1, Int64($0)) })
        return keys.map { key in
            switch key {
            case .number(let number): number
            case .text(let text): rank[text] ?? 0
            }
        }
    }
}
