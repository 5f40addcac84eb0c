import Engine

/// The tree view's order: each row under its parent (by ppid, among the rows shown), as htop's
/// F5 draws pre-fork workers under their master. Siblings keep the pane's sort order; a row
/// whose parent is not shown is a root.
enum ProcessTree {
    /// Where a row sits in the tree: its depth and the connector drawn before its COMM.
    struct Place: Equatable {
        var depth: Int
        /// `|- ` or `` `- `` after the ancestors' lines; ASCII, so it reads the same in any locale.
        var prefix: String
    }

    /// `rows`, already sorted, rearranged depth first, each with its place in the tree.
    static func arrange(_ rows: [MonitorState.PaneRow]) -> [MonitorState.PaneRow] {
        let shown = Set(rows.map(\.record.pid))
        var children: [Int32: [MonitorState.PaneRow]] = [:]
        var roots: [MonitorState.PaneRow] = []
        for row in rows {
            let parent = row.record.ppid
            if parent != row.record.pid, shown.contains(parent) {
                children[parent, default: []].append(row)
            } else {
                roots.append(row)
            }
        }
        var arranged: [MonitorState.PaneRow] = []
        arranged.reserveCapacity(rows.count)
        // Depth first with a stack, each process once: a ppid cycle (pid reuse) can neither
        // recurse without end nor drop rows (they follow as roots).
        var visited = Set<ProcessIdentity>()
        var stack: [(row: MonitorState.PaneRow, depth: Int, indent: String, isLast: Bool)] = roots.reversed().map { ($0, 0, "", true) }
        while let (row, depth, indent, isLast) = stack.popLast() {
            guard visited.insert(row.record.identity).inserted else { continue }
            var placed = row
            placed.tree = Place(depth: depth, prefix: depth == 0 ? "" : indent + (isLast ? "`- " : "|- "))
            arranged.append(placed)
            let below = depth == 0 ? "" : indent + (isLast ? "   " : "|  ")
            let kids = children[row.record.pid] ?? []
            for (index, kid) in kids.enumerated().reversed() { stack.append((kid, depth + 1, below, index == kids.count - 1)) }
        }
        for row in rows where !visited.contains(row.record.identity) {
            var placed = row
            placed.tree = Place(depth: 0, prefix: "")
            arranged.append(placed)
        }
        return arranged
    }
}
