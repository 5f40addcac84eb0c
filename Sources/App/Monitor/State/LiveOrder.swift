import Engine

/// A pane's live rows in one column's order, ascending, ties by identity (a pane sorted the
/// other way reads it backwards). The orders of one state share one array of identities in
/// identity order (the PID column's) and each other column keeps only positions in it: at
/// 10,000 rows an order is 40 KB, not 160.
struct LiveOrder: Sendable {
    let identities: [ProcessIdentity]
    /// Positions in `identities`, in this order; nil: `identities` as they are.
    let positions: [Int32]?

    init(_ identities: [ProcessIdentity], positions: [Int32]? = nil) {
        self.identities = identities
        self.positions = positions
    }

    var count: Int { identities.count }

    subscript(position: Int) -> ProcessIdentity {
        positions.map { identities[Int($0[position])] } ?? identities[position]
    }

    /// The order as identities, for placing tombstones among them.
    var sequence: [ProcessIdentity] {
        positions.map { $0.map { identities[Int($0)] } } ?? identities
    }

    /// The live rows of `pane` in each of `columns`' orders: each key is taken once per row
    /// (texts ranked once per distinct text) and positions are sorted, so no record is copied
    /// or moved. Pending matches
    /// (port-less, younger than min_process_age) are in Matched, dimmed, until they match.
    static func of(_ pane: Pane, by columns: [Column<MonitorState.PaneRow>], in state: MonitorState) -> [ColumnID: LiveOrder] {
        let engine = state.engine
        var identities: [ProcessIdentity]
        if pane == .matched {
            identities = engine.verdicts.lazy.filter { $0.value.isCandidate && engine.records[$0.key] != nil }.map(\.key)
        } else {
            identities = Array(engine.records.keys)
        }
        identities.sort()
        var orders: [ColumnID: LiveOrder] = [:]
        var keyed: [(id: ColumnID, key: @Sendable (MonitorState.PaneRow, MonitorState) -> SortKey)] = []
        for column in columns {
            if case .key(let key) = column.order { keyed.append((column.id, key)) } else { orders[column.id] = LiveOrder(identities) }
        }
        // By identity, the keys are all it takes; the other columns read the records, one
        // column at a time: all their keys at once were the run's peak of memory at 10,000.
        for column in keyed {
            let keys = identities.map { identity in
                guard let record = engine.records[identity] else { preconditionFailure("an identity without its record") }
                return column.key(MonitorState.PaneRow(record: record, kind: .live), state)
            }
            orders[column.id] = LiveOrder(identities, positions: positions(byKeys: keys))
        }
        return orders
    }

    /// `orders` (all of one pane, sharing their identities) after `delta`: the identities that
    /// went are dropped and those that came (`added`, those of them the pane shows) are placed
    /// by their keys, so an update that starts or ends a few processes costs a pass over the
    /// positions, not a sort of 10,000. Nil when the orders are not of one array of identities.
    static func updating(
        _ orders: [ColumnID: LiveOrder], removing removed: Set<ProcessIdentity>, adding added: [ProcessIdentity], of pane: Pane, in state: MonitorState
    ) -> [ColumnID: LiveOrder]? {
        guard let old = orders.values.first?.identities else { return orders }
        // Shared, they compare at once.
        guard orders.values.allSatisfy({ $0.identities == old }) else { return nil }
        // The identities merged in order, and where each old one went (-1: gone).
        var identities: [ProcessIdentity] = []
        identities.reserveCapacity(old.count + added.count)
        var moved = [Int32](repeating: -1, count: old.count)
        var cameAt: [Int32] = []
        var next = 0
        for (index, identity) in old.enumerated() {
            while next < added.count, added[next] < identity {
                cameAt.append(Int32(identities.count))
                identities.append(added[next])
                next += 1
            }
            guard !removed.contains(identity) else { continue }
            moved[index] = Int32(identities.count)
            identities.append(identity)
        }
        for identity in added[next...] {
            cameAt.append(Int32(identities.count))
            identities.append(identity)
        }
        func row(_ position: Int32) -> MonitorState.PaneRow {
            guard let record = state.engine.records[identities[Int(position)]] else { preconditionFailure("an identity without its record") }
            return MonitorState.PaneRow(record: record, kind: .live)
        }
        var updated: [ColumnID: LiveOrder] = [:]
        for (id, order) in orders {
            guard let positions = order.positions else {
                updated[id] = LiveOrder(identities)
                continue
            }
            let column = PaneColumns.sortColumn(of: pane, id)
            guard case .key(let key) = column.order else { return nil }
            var placed = positions.compactMap { moved[Int($0)] >= 0 ? moved[Int($0)] : nil }
            for position in cameAt {
                let newcomer = row(position)
                let newKey = key(newcomer, state)
                var low = 0
                var high = placed.count
                while low < high {
                    let middle = (low + high) / 2
                    let other = key(row(placed[middle]), state)
                    if other < newKey || (other == newKey && placed[middle] < position) { low = middle + 1 } else { high = middle }
                }
                placed.insert(position, at: low)
            }
            updated[id] = LiveOrder(identities, positions: placed)
        }
        return updated
    }

    /// `rows` (any, tombstones too) in `column`'s ascending order.
    static func sorting(_ rows: [MonitorState.PaneRow], by column: Column<MonitorState.PaneRow>, in state: MonitorState) -> [ProcessIdentity] {
        let byIdentity = rows.indices.sorted { rows[$0].record.identity < rows[$1].record.identity }
        let identities = byIdentity.map { rows[$0].record.identity }
        guard case .key(let key) = column.order else { return identities }
        return positions(byKeys: byIdentity.map { key(rows[$0], state) }).map { identities[Int($0)] }
    }

    /// Positions of `keys` (given in identity order) in the keys' order; the lower position,
    /// so the lower identity, breaks a tie.
    private static func positions(byKeys keys: [SortKey]) -> [Int32] {
        let ranks = Self.ranks(keys)
        var positions = (0..<Int32(ranks.count)).map { $0 }
        positions.sort { a, b in ranks[Int(a)] != ranks[Int(b)] ? ranks[Int(a)] < ranks[Int(b)] : a < b }
        return positions
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
