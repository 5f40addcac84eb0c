/// What the open menu lists, from the pane's column descriptors or the signal list: the items
/// `choose` picks from by index and `MenuView` draws.
extension MonitorState {
    struct MenuItem: Equatable {
        /// `*` the sort in effect, `[x]`/`[ ]` a column shown or hidden, the number of a signal.
        var mark: String
        var label: String
    }

    var menuItems: [MenuItem] {
        switch menu?.purpose {
        case nil: return []
        case .sort(let pane):
            return sortable(in: pane).map { id in
                MenuItem(mark: id == panes[pane].sort ? (panes[pane].inverted ? "v" : "^") : " ", label: PaneColumns.title(of: id, in: pane))
            }
        case .columns(let pane):
            return hideable(in: pane).map { id in
                MenuItem(mark: panes[pane].hidden.contains(id) ? "[ ]" : "[x]", label: PaneColumns.title(of: id, in: pane))
            }
        case .signal:
            return ProcessSignal.allCases.map { MenuItem(mark: String($0.number), label: "\($0.name.padding(to: 8)) \($0.meaning)") }
        }
    }
}

extension MonitorState {
    /// The columns a pane can sort by now: its sortable ones that are shown (`<`, `>`, F6,
    /// a click), so a sort never lands on a column the screen does not show.
    func sortable(in pane: Pane) -> [ColumnID] {
        let hidden = hiddenColumns(in: pane)
        return PaneColumns.sortable(in: pane).filter { !hidden.contains($0) }
    }

    /// What F2 offers to show or hide: not the columns that have no meaning here.
    func hideable(in pane: Pane) -> [ColumnID] {
        PaneColumns.hideable(in: pane).filter { !implicitlyHidden.contains($0) }
    }

    /// The columns `pane` leaves out: those hidden with F2, and those that mean nothing here.
    func hiddenColumns(in pane: Pane) -> Set<ColumnID> {
        panes[pane].hidden.union(implicitlyHidden)
    }

    /// NODE, but in a view merged from several agents.
    var implicitlyHidden: Set<ColumnID> { engine.nodes.count > 1 ? [] : [.node] }
}
