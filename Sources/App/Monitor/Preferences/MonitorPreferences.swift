/// What the monitor remembers between runs, as htop does: each pane's sort and hidden
/// columns, the tree view, the refresh rate and the panes' heights. Taken from the state on a clean exit and
/// given back to the next run's state (see `PreferencesFile`).
struct MonitorPreferences: Codable, Equatable {
    struct PanePreferences: Codable, Equatable {
        var sort: ColumnID
        var inverted: Bool
        var hidden: [ColumnID]
    }

    /// Each pane's percent of the height, by `Pane.key`.
    typealias Heights = [String: Int]

    var tree: Bool
    var refreshMillis: Int
    /// Optional: files written before panes could be resized have none.
    var paneHeights: Heights?
    /// By `Pane.key`: the panes that sort and hide columns (Bind events does neither).
    var panes: [String: PanePreferences]

    static let panes: [Pane] = [.processes, .matched]

    init(of state: MonitorState) {
        tree = state.tree
        refreshMillis = state.refreshMillis
        paneHeights = Dictionary(uniqueKeysWithValues: Pane.allCases.map { ($0.key, state.paneShares[$0]) })
        panes = [:]
        for pane in Self.panes {
            let kept = state.panes[pane]
            panes[pane.key] = PanePreferences(sort: kept.sort, inverted: kept.inverted, hidden: kept.hidden.sorted { $0.rawValue < $1.rawValue })
        }
    }

    /// Only what still makes sense: a column a pane no longer has, or a rate or heights out
    /// of range from a hand-edited file, is left as it is.
    func apply(to state: inout MonitorState) {
        state.tree = tree
        if (100...10_000).contains(refreshMillis) { state.refreshMillis = refreshMillis }
        if let heights = paneHeights, let events = heights[Pane.events.key], let processes = heights[Pane.processes.key],
           let matched = heights[Pane.matched.key], let shares = PaneShares(events: events, processes: processes, matched: matched) {
            state.paneShares = shares
        }
        for pane in Self.panes {
            guard let kept = panes[pane.key] else { continue }
            if PaneColumns.sortable(in: pane).contains(kept.sort) {
                state.panes[pane].sort = kept.sort
                state.panes[pane].inverted = kept.inverted
            }
            state.panes[pane].hidden = Set(kept.hidden.filter(PaneColumns.hideable(in: pane).contains))
        }
    }
}
