import Engine

/// What a frame derives from the engine's state and would otherwise derive again on every
/// frame and key: each pane's rows (sorted, or tree-arranged), the live rows' order by each
/// column asked for, the matched count and the pids the engine matched. At 10,000 processes a
/// sort costs more than a whole frame may.
///
/// A `MonitorState` gets a new cache whenever what the rows come from changes (an engine
/// update, a tombstone coming or fading), so a copy of the state that changes apart from
/// another never sees the other's rows; within one cache, the rows are kept per pane for the
/// view settings they were made with (sort, order, filter, tree). A tombstone changes only the
/// rows: the orders and the count, which come from the engine's state alone, stay.
final class RowsCache {
    struct Settings: Equatable {
        var sort: ColumnID
        var inverted: Bool
        var filter: ProcessFilter?
        var tree: Bool
        var startedAt: UInt64
        var bootWallNanos: UInt64
    }

    /// What one engine state's live rows give, whichever the tombstones.
    final class ForState {
        fileprivate var orders: [Pane: [PreparedRows.Order: LiveOrder]]
        fileprivate var matched: (count: Int, pids: Set<Int32>)?

        init(_ prepared: PreparedRows? = nil) {
            orders = prepared?.orders ?? [:]
            matched = prepared?.matched
        }
    }

    private let forState: ForState
    private var rows: [Pane: (settings: Settings, rows: PaneRows)] = [:]

    /// A cache for a new engine state, with what was worked out for it off the UI thread.
    init(_ prepared: PreparedRows? = nil) {
        forState = ForState(prepared)
    }

    private init(forState: ForState) {
        self.forState = forState
    }

    /// For the same engine state with other tombstones.
    func keepingOrders() -> RowsCache {
        RowsCache(forState: forState)
    }

    func rows(for pane: Pane, _ settings: Settings, make: () -> PaneRows) -> PaneRows {
        if let kept = rows[pane], kept.settings == settings { return kept.rows }
        let made = make()
        rows[pane] = (settings, made)
        return made
    }

    /// The orders `prepared` holds that this cache has not made yet: `prepared` must be of
    /// this cache's engine state (or one that gives the same rows).
    func adopt(_ prepared: PreparedRows) {
        for (pane, orders) in prepared.orders {
            forState.orders[pane, default: [:]].merge(orders) { kept, _ in kept }
        }
        if forState.matched == nil { forState.matched = prepared.matched }
    }

    /// The live rows of `pane` in `order`.
    func order(of pane: Pane, _ order: PreparedRows.Order, make: () -> LiveOrder) -> LiveOrder {
        if let kept = forState.orders[pane]?[order] { return kept }
        let made = make()
        forState.orders[pane, default: [:]][order] = made
        return made
    }

    func matched(_ make: () -> (count: Int, pids: Set<Int32>)) -> (count: Int, pids: Set<Int32>) {
        if let matched = forState.matched { return matched }
        let made = make()
        forState.matched = made
        return made
    }
}
