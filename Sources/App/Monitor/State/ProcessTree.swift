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
        arrange(rows.map { (pid: $0.record.pid, ppid: $0.record.ppid) }).map { placed in
            var row = rows[placed.index]
            row.tree = placed.place
            return row
        }
    }

    /// The positions of `rows` (each one's pid and parent; already sorted) in tree order, depth
    /// first, each with its place: siblings keep their order.
    static func arrange(_ rows: [(pid: Int32, ppid: Int32)]) -> [(index: Int, place: Place)] {
        let shown = Set(rows.map(\.pid))
        var children: [Int32: [Int]] = [:]
        var roots: [Int] = []
        for (index, row) in rows.enumerated() {
            if row.ppid != row.pid, shown.contains(row.ppid) {
                children[row.ppid, default: []].append(index)
            } else {
                roots.append(index)
            }
        }
        var arranged: [(index: Int, place: Place)] = []
        arranged.reserveCapacity(rows.count)
        // Depth first with a stack, each row once: a ppid cycle (pid reuse) can neither recurse
        // without end nor drop rows (they follow as roots).
        var visited = [Bool](repeating: false, count: rows.count)
        var stack: [(index: Int, depth: Int, indent: String, isLast: Bool)] = roots.reversed().map { ($0, 0, "", true) }
        while let (index, depth, indent, isLast) = stack.popLast() {
            guard !visited[index] else { continue }
            visited[index] = true
            arranged.append((index, Place(depth: depth, prefix: depth == 0 ? "" : indent + (isLast ? "`- " : "|- "))))
            let below = depth == 0 ? "" : indent + (isLast ? "   " : "|  ")
            let kids = children[rows[index].pid] ?? []
            for (offset, kid) in kids.enumerated().reversed() { stack.append((kid, depth + 1, below, offset == kids.count - 1)) }
        }
        for index in rows.indices where !visited[index] { arranged.append((index, Place(depth: 0, prefix: ""))) }
        return arranged
    }
}
