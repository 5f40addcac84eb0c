import Engine

/// Every pane's columns, each written once. Priorities say what goes first on a narrow
/// screen: the columns that say what and which (pid, port, result) stay longest.
enum PaneColumns {
    typealias EventRow = MonitorState.TimedEvent
    typealias ProcessRow = MonitorState.PaneRow

    static let events: [Column<EventRow>] = [
        // Which agent saw it, in a merged remote view (hidden otherwise, as in the process panes).
        Column(.node, "NODE", .content(minimum: 4, maximum: 20, priority: 9)) { row, state in nodeName(row.event.node, state) },
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

    static let pid = Column<ProcessRow>(.pid, "PID", .content(minimum: 5, maximum: 7, priority: 10), order: .identity) { row, _ in String(row.record.pid) }
    static let ppid = Column<ProcessRow>(
        .ppid, "PPID", .content(minimum: 5, maximum: 7, priority: 2), cell: { row, _ in String(row.record.ppid) }, sortKey: { row, _ in row.record.ppid })
    /// In the tree view the name follows its branch (`|- python3`); a comm is at most 15
    /// characters, so the room beyond is the branch's.
    static let comm = Column<ProcessRow>(
        .comm, "COMM", .content(minimum: 6, maximum: 30, priority: 8), cell: { row, _ in (row.tree?.prefix ?? "") + row.record.comm },
        sortKey: { row, _ in row.record.comm })
    static let ports = Column<ProcessRow>(
        .ports, "PORTS", .content(minimum: 8, maximum: 40, priority: 7, elision: .items), cell: { row, _ in PortText.summary(row.record.ports) },
        sortKey: { row, _ in row.record.ports?.first?.socket.port ?? 0 })

    /// Which agent a process runs under, in a merged remote view (`MonitorState.implicitlyHidden` otherwise).
    static let node = Column<ProcessRow>(
        .node, "NODE", .content(minimum: 4, maximum: 20, priority: 9), cell: { row, state in nodeName(row.record.identity.node, state) },
        sortKey: { row, _ in row.record.identity.node })

    /// The name of the agent at `index` of the remote view.
    static func nodeName(_ index: UInt16, _ state: MonitorState) -> String {
        state.engine.nodes.indices.contains(Int(index)) ? SafeText.sanitize(state.engine.nodes[Int(index)].name) : "-"
    }

    /// The Bind events pane's columns, less the hidden ones (NODE but in a merged view).
    static func shownEvents(hiding hidden: Set<ColumnID>) -> [Column<EventRow>] {
        hidden.isEmpty ? events : events.filter { !hidden.contains($0.id) }
    }

    static let processes: [Column<ProcessRow>] = [
        node,
        pid,
        ppid,
        Column(.user, "USER", .content(minimum: 4, maximum: 12, priority: 4), cell: { row, _ in row.record.user }, sortKey: { row, _ in row.record.user }),
        comm,
        ports,
        Column(.exe, "EXE", .content(minimum: 16, priority: 5, elision: .middle), cell: { row, _ in
            row.kind == .tombstone ? "(gone) " + (row.record.exe ?? "?") : (row.record.exe ?? "?")
        }, sortKey: { row, _ in row.record.exe ?? "" }),
    ]

    static let matched: [Column<ProcessRow>] = [
        node,
        pid,
        ppid,
        comm,
        Column(.discovered, "DISCOVERED", .content(minimum: 8, maximum: 20, priority: 5), cell: { row, state in
            Discovered.of(row.record, in: state)?.text(now: state.now) ?? "?"
        }, sortKey: { row, state in Discovered.of(row.record, in: state)?.wallNanos ?? 0 }),
        ports,
        Column(.matchedBy, "MATCHED BY", .content(minimum: 12, priority: 6), cell: { row, state in
            let verdict = state.engine.verdicts[row.record.identity]
            return row.kind == .tombstone ? "(no longer matched) " + (verdict?.failure ?? "gone") : verdict?.summary ?? ""
        }, sortKey: { row, state in state.engine.verdicts[row.record.identity]?.summary ?? "" }),
    ]

    static func of(_ pane: Pane) -> [Column<ProcessRow>] {
        pane == .matched ? matched : processes
    }

    /// The columns `pane` draws: all but the hidden ones.
    static func shown(in pane: Pane, hiding hidden: Set<ColumnID>) -> [Column<ProcessRow>] {
        hidden.isEmpty ? of(pane) : of(pane).filter { !hidden.contains($0.id) }
    }

    /// The columns the F2 menu can hide: every one but the PID, which rows are known by.
    static func hideable(in pane: Pane) -> [ColumnID] {
        pane == .events ? [] : of(pane).map(\.id).filter { $0 != .pid }
    }

    static func title(of id: ColumnID, in pane: Pane) -> String {
        of(pane).first { $0.id == id }?.title ?? id.rawValue
    }

    /// The columns `<` and `>` step through in `pane`, in screen order.
    static func sortable(in pane: Pane) -> [ColumnID] {
        pane == .events ? [] : of(pane).filter { $0.sorts }.map(\.id)
    }

    /// The column `pane` sorts by (its PID when the id is not one of its columns).
    static func sortColumn(of pane: Pane, _ id: ColumnID) -> Column<ProcessRow> {
        of(pane).first { $0.id == id && $0.sorts } ?? pid
    }
}
