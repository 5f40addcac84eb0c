import Engine

/// A pane's rows in the order shown, kept as identities: each record stays where it already is
/// (the engine's state, or the pane's tombstones) and a row is made only when a view or a key
/// reads it. At 10,000 processes a copy of every record was 1.5 MB per pane, and copying them
/// was most of a re-sort; now a pane with no tombstone and no filter shares its `LiveOrder`,
/// and reads it backwards when sorted the other way.
struct PaneRows: RandomAccessCollection {
    private var order: LiveOrder
    private var backwards = false
    /// Each row's place in the tree view, in shown order; nil outside it.
    private var places: [ProcessTree.Place]?
    private let engine: EngineState
    /// A row is a tombstone when its identity is here: identities are unique among a pane's rows.
    private let tombstones: [ProcessIdentity: PaneState.Tombstone]

    static let empty = PaneRows(order: LiveOrder([]), engine: EngineState(), tombstones: [:])

    /// `order` must name live rows the engine's state holds, or tombstones `tombstones` holds.
    init(order: LiveOrder, engine: EngineState, tombstones: [ProcessIdentity: PaneState.Tombstone]) {
        self.order = order
        self.engine = engine
        self.tombstones = tombstones
    }

    var startIndex: Int { 0 }
    var endIndex: Int { order.count }

    private func identity(at position: Int) -> ProcessIdentity {
        order[backwards ? order.count - 1 - position : position]
    }

    subscript(position: Int) -> MonitorState.PaneRow {
        let identity = identity(at: position)
        if let gone = tombstones[identity] {
            return MonitorState.PaneRow(record: gone.record, kind: .tombstone, tree: places?[position])
        }
        guard let record = engine.records[identity] else { preconditionFailure("a row without its record: \(identity)") }
        return MonitorState.PaneRow(record: record, kind: .live, tree: places?[position])
    }

    /// Where the row of `pid` is, without making a row of every one before it.
    func index(ofPID pid: Int32) -> Int? {
        guard let stored = (0..<order.count).first(where: { order[$0].pid == pid }) else { return nil }
        return backwards ? order.count - 1 - stored : stored
    }

    /// Keeps the rows `keep` accepts, in their order.
    mutating func filter(_ keep: (MonitorState.PaneRow) -> Bool) {
        order = LiveOrder(indices.filter { keep(self[$0]) }.map { identity(at: $0) })
        backwards = false
        places = nil
    }

    /// The rows in the tree view's order (siblings as they are now), each with its place.
    mutating func arrangeAsTree() {
        let arranged = ProcessTree.arrange(indices.map { position in
            let row = self[position]
            return (pid: row.record.pid, ppid: row.record.ppid)
        })
        order = LiveOrder(arranged.map { identity(at: $0.index) })
        backwards = false
        places = arranged.map(\.place)
    }

    /// The other way round; rows in the tree view are arranged after this, never before.
    mutating func reverse() {
        precondition(places == nil, "a tree is arranged from rows in their order, not reversed")
        backwards.toggle()
    }
}
