import Engine

/// What a frame derives from the engine's state and would otherwise derive again on every
/// frame and key: each pane's sorted (or tree-arranged) rows, the matched count and the pids
/// the engine matched. At 10,000 processes a sort costs more than a whole frame may.
///
/// A `MonitorState` gets a new cache whenever what the rows come from changes (an engine
/// update, a tombstone fading), so a copy of the state that changes apart from another never
/// sees the other's rows; within one cache, the rows are kept per pane for the view settings
/// they were made with (sort, order, filter, tree).
final class RowsCache {
    struct Settings: Equatable {
        var sort: ColumnID
        var inverted: Bool
        var filter: ProcessFilter?
        var tree: Bool
        var startedAt: UInt64
        var bootWallNanos: UInt64
    }

    private var rows: [Pane: (settings: Settings, rows: [MonitorState.PaneRow])] = [:]
    private var matched: (count: Int, pids: Set<Int32>)?

    func rows(for pane: Pane, _ settings: Settings, make: () -> [MonitorState.PaneRow]) -> [MonitorState.PaneRow] {
        if let kept = rows[pane], kept.settings == settings { return kept.rows }
        let made = make()
        rows[pane] = (settings, made)
        return made
    }

    func matched(_ make: () -> (count: Int, pids: Set<Int32>)) -> (count: Int, pids: Set<Int32>) {
        if let matched { return matched }
        let made = make()
        matched = made
        return made
    }
}
