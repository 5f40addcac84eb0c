import Engine

/// What one engine state's rows need that costs time at 10,000 processes, worked out off the UI
/// thread (`Mailbox`) before the UI takes the state: each process pane's live rows in the order
/// of every column it can sort by (so that `<` and `>` sort at once), and the matched count and
/// pids. The UI thread then only
/// places the tombstones, filters and draws; without it (a settings change, tests) the same is
/// worked out where it is first needed.
struct PreparedRows: Sendable {
    /// An order of live rows: a column, and what its keys depend on besides the engine's state.
    struct Order: Hashable, Sendable {
        var column: ColumnID
        var startedAt: UInt64
        var bootWallNanos: UInt64
    }

    /// What the preparer is asked for: the columns each process pane can sort by, and when the
    /// monitor started (the DISCOVERED column's keys depend on it).
    struct Request: Equatable, Sendable {
        var columns: [Pane: [ColumnID]]
        var startedAt: UInt64
        var bootWallNanos: UInt64
        /// The column each pane is sorted by now (among `columns`).
        var sorts: [Pane: ColumnID] = [:]

        /// Only the orders the panes show now: what a first state is prepared for, so that
        /// 10,000 rows reach the screen after one sort per pane, not one per sortable column.
        var first: Request {
            var narrow = self
            narrow.columns = sorts.mapValues { [$0] }
            return narrow
        }
    }

    var orders: [Pane: [Order: LiveOrder]] = [:]
    var matched: (count: Int, pids: Set<Int32>)?

    /// `after`: the last state prepared (for the same request) and its preparation, which this
    /// one updates when only a few processes came and went since.
    init(for engine: EngineState, _ request: Request, after last: (state: EngineState, prepared: PreparedRows)? = nil) {
        var context = MonitorState(engine: engine)
        context.startedAt = request.startedAt
        context.bootWallNanos = request.bootWallNanos
        if let last, let delta = engine.delta(from: last.state, limit: Self.updateLimit),
           let updated = Self.updating(last.prepared, from: last.state, by: delta, in: context) {
            self = updated
            return
        }
        for (pane, ids) in request.columns where pane != .events {
            var columns: [Column<MonitorState.PaneRow>] = []
            for column in ids.map({ PaneColumns.sortColumn(of: pane, $0) }) where !columns.contains(where: { $0.id == column.id }) {
                columns.append(column)
            }
            for (id, order) in LiveOrder.of(pane, by: columns, in: context) {
                orders[pane, default: [:]][Order(column: id, startedAt: request.startedAt, bootWallNanos: request.bootWallNanos)] = order
            }
        }
        matched = context.matchedSummary()
    }

    private init(orders: [Pane: [Order: LiveOrder]], matched: (count: Int, pids: Set<Int32>)?) {
        self.orders = orders
        self.matched = matched
    }

    /// Past this many processes come or gone, sorting again costs less than placing each.
    static let updateLimit = 256

    /// `last` (prepared for `earlier`) updated for `delta`; nil when it cannot be.
    private static func updating(_ last: PreparedRows, from earlier: EngineState, by delta: EngineStateDelta, in context: MonitorState) -> PreparedRows? {
        let engine = context.engine
        let removed = Set(delta.removed)
        var orders: [Pane: [Order: LiveOrder]] = [:]
        for (pane, byOrder) in last.orders {
            let added = pane == .matched ? delta.added.filter { engine.verdicts[$0]?.isCandidate == true } : delta.added
            var byColumn: [ColumnID: LiveOrder] = [:]
            for (order, live) in byOrder { byColumn[order.column] = live }
            guard let updated = LiveOrder.updating(byColumn, removing: removed, adding: added, of: pane, in: context) else { return nil }
            orders[pane] = Dictionary(uniqueKeysWithValues: byOrder.keys.compactMap { order in updated[order.column].map { (order, $0) } })
        }
        // A matched process gone: its pid may be another's too, so count again.
        guard var matched = last.matched, !delta.removed.contains(where: { earlier.verdicts[$0]?.matched == true }) else {
            return PreparedRows(orders: orders, matched: context.matchedSummary())
        }
        for identity in delta.added where engine.verdicts[identity]?.matched == true {
            matched.count += 1
            matched.pids.insert(identity.pid)
        }
        return PreparedRows(orders: orders, matched: matched)
    }
}
