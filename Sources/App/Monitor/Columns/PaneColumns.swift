import Engine

/// Every pane's columns, each written once. Priorities say what goes first on a narrow
/// screen: the columns that say what and which (pid, port, result) stay longest.
enum PaneColumns {
    typealias EventRow = MonitorState.TimedEvent
    typealias ProcessRow = MonitorState.PaneRow

    static let events: [Column<EventRow>] = [
        Column(.time, "TIME", .fixed(12, priority: 5)) { row, _ in WallClock.timeOfDay(row.wallNanos) },
        Column(.event, "EVENT", .fixed(6, priority: 9)) { row, _ in row.event.kind.rawValue },
        Column(.pid, "PID", .content(minimum: 5, maximum: 7, priority: 10)) { row, _ in String(row.event.pid) },
        Column(.comm, "COMM", .content(minimum: 6, maximum: 15, priority: 7)) { row, _ in row.event.comm },
        Column(.proto, "PROTO", .fixed(5, priority: 6)) { row, _ in row.event.proto?.rawValue ?? "#\(row.event.protocolNumber)" },
        Column(.address, "ADDRESS", .content(minimum: 9, priority: 4)) { row, _ in row.event.address },
        Column(.port, "PORT", .fixed(5, priority: 9)) { row, _ in String(row.event.port) },
        Column(.result, "RESULT", .content(minimum: 6, maximum: 16, priority: 8)) { row, _ in
            row.event.kind == .bind ? ErrnoName.of(result: row.event.result) : ""
        },
    ]

    static let pid = Column<ProcessRow>(.pid, "PID", .content(minimum: 5, maximum: 7, priority: 10), cell: { row, _ in String(row.record.pid) }) {
        a, b, _ in a.record.identity < b.record.identity
    }
    static let comm = Column<ProcessRow>(.comm, "COMM", .content(minimum: 6, maximum: 15, priority: 8), cell: { row, _ in row.record.comm }, sortKey: { row, _ in row.record.comm })
    static let ports = Column<ProcessRow>(
        .ports, "PORTS", .content(minimum: 8, maximum: 40, priority: 7, elision: .items), cell: { row, _ in PortText.summary(row.record.ports) },
        sortKey: { row, _ in row.record.ports?.first?.socket.port ?? 0 })

    static let processes: [Column<ProcessRow>] = [
        pid,
        Column(.user, "USER", .content(minimum: 4, maximum: 12, priority: 4), cell: { row, _ in row.record.user }, sortKey: { row, _ in row.record.user }),
        comm,
        ports,
        Column(.exe, "EXE", .content(minimum: 16, priority: 5, elision: .middle), cell: { row, _ in
            row.kind == .tombstone ? "(gone) " + (row.record.exe ?? "?") : (row.record.exe ?? "?")
        }, sortKey: { row, _ in row.record.exe ?? "" }),
    ]

    static let matched: [Column<ProcessRow>] = [
        pid,
        comm,
        Column(.discovered, "DISCOVERED", .content(minimum: 8, maximum: 20, priority: 5), cell: { row, state in
            since(row, state).map { "\(WallClock.timeOfDay($0).prefix(8)) \(Age.text(nanos: state.now &- $0))" } ?? "?"
        }, sortKey: { row, state in since(row, state) ?? 0 }),
        ports,
        Column(.matchedBy, "MATCHED BY", .content(minimum: 12, priority: 6), cell: { row, state in
            let verdict = state.engine.verdicts[row.record.identity]
            return row.kind == .tombstone ? "(no longer matched) " + (verdict?.failure ?? "gone") : verdict?.summary ?? ""
        }, sortKey: { row, state in state.engine.verdicts[row.record.identity]?.summary ?? "" }),
    ]

    /// When a Matched row started matching, or was discovered when it has not yet.
    private static func since(_ row: ProcessRow, _ state: MonitorState) -> UInt64? {
        state.engine.matchedAt[row.record.identity] ?? state.engine.discoveredAt[row.record.identity]
    }

    static func of(_ pane: Pane) -> [Column<ProcessRow>] {
        pane == .matched ? matched : processes
    }

    /// The columns `<` and `>` step through in `pane`, in screen order.
    static func sortable(in pane: Pane) -> [ColumnID] {
        pane == .events ? [] : of(pane).filter { $0.order != nil }.map(\.id)
    }

    /// The column `pane` sorts by (its PID when the id is not one of its columns).
    static func sortColumn(of pane: Pane, _ id: ColumnID) -> Column<ProcessRow> {
        of(pane).first { $0.id == id && $0.order != nil } ?? pid
    }
}
