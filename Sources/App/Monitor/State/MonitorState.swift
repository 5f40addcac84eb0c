import Engine

/// What a key asks the run loop to do besides redrawing.
struct Reaction: Equatable {
    var redraw = false
    var quit = false
    /// New criteria to hand to the engine (the prompt changed a valid range list).
    var criteria: Criteria?
    var fullRedraw = false
    var refreshChanged = false
    /// A process to read for the inspect view, off the UI thread.
    var inspect: ProcessRecord?
    /// A confirmed signal for the run loop to send.
    var signal: SignalRequest?
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    var suspend = false
    /// Ctrl-S: write the engine's state to a file, off the UI thread.
    var export = false

    static let none = Reaction()
    static let redraw = Reaction(redraw: true)
}

/// Everything the monitor shows, as a value: the engine's latest state plus the view's own
/// (focus, each pane's state, prompt, help, inspect). Keys change it through `handle`, which
/// returns reaction flags instead of drawing; `MonitorRenderer` turns it into a grid.
struct MonitorState {
    static let highlightNanos: UInt64 = 3_000_000_000
    static let maxEvents = 500

    /// The engine's latest published state, never patched here: it alone says which criteria
    /// the panes were computed for.
    private(set) var engine = EngineState()
    /// Bind, listen and close events, newest first.
    private(set) var events: [TimedEvent] = []
    var focus: Pane = .processes
    var panes = Panes()
    var prompt: PromptState?
    var paused = false
    /// htop's filter: rows of every pane must contain this text (see `ProcessFilter`).
    var filter: ProcessFilter?
    /// The last search (F3): F3 again finds its next match.
    var search: String?
    /// htop's tree view (F5): rows under their parent.
    var tree = false
    /// How the panes split the height (`]` and `[`).
    var paneShares = PaneShares()
    /// Processes tagged with Space: what the signal menu acts on when there are any.
    var tagged: Set<ProcessIdentity> = []
    var menu: MenuState?
    /// `--readonly`: no signals are sent.
    var readonly = false
    /// A short message (a signal's outcome, why a key did nothing) that fades after a while.
    var notice: Notice?
    /// Where the last frame put each pane: what a mouse click lands on.
    var layout: [PaneLayout] = []
    /// When the machine booted, in wall-clock nanoseconds: a process's start time from its
    /// start ticks (fixed in tests, so screens do not depend on the host).
    var bootWallNanos = ProcessClock.bootWallNanos()
    /// When the monitor started: a process started before was already running, not discovered.
    var startedAt = WallClock.now()
    /// Least time between two frames drawn for engine updates; 100 ms caps drawing at 10 a second.
    var refreshMillis = 100
    var inspecting: InspectState?
    /// The help's scroll position while it is open.
    var help: ScrollPosition?
    private(set) var firstSeen: [ProcessIdentity: UInt64] = [:]
    /// False until the first engine state arrives: what it holds was already there, not news.
    private var hasFirstState = false
    /// Wall-clock nanoseconds used for highlights; set by the run loop before each render.
    var now: UInt64 = 0
    /// Criteria other than the ports (e.g. --exe-path) that the prompt keeps.
    var baseCriteria = Criteria()
    /// Criteria handed to the engine that no published state carries yet: the header says
    /// "applying …" until one does. An older update still in the mailbox leaves it standing.
    private(set) var requestedCriteria: Criteria?
    /// Rows and counts derived from the engine's state; replaced, never cleared, when it changes.
    private var cache = RowsCache()

    struct TimedEvent: Equatable {
        var event: KernelEvent
        var wallNanos: UInt64
    }

    struct Notice: Equatable {
        var text: String
        var at: UInt64
    }

    enum RowKind { case live, tombstone }

    /// A row of the Processes or Matched pane.
    struct PaneRow {
        var record: ProcessRecord
        var kind: RowKind
        /// Set in the tree view.
        var tree: ProcessTree.Place?
    }

    init(engine: EngineState = EngineState()) {
        self.engine = engine
    }

    var showingHelp: Bool { help != nil }

    /// The criteria the user last asked for: the engine's, unless a request is still on its way.
    var wantedCriteria: Criteria { requestedCriteria ?? engine.criteria }

    /// Records criteria sent to the engine; cleared by the first update that carries them.
    mutating func request(_ criteria: Criteria) {
        requestedCriteria = criteria == engine.criteria && requestedCriteria == nil ? nil : criteria
    }

    // MARK: - Engine updates

    /// `prepared`: what the mailbox worked out for this update's state off the UI thread, if anything.
    mutating func apply(_ update: EngineUpdate, prepared: PreparedRows? = nil, at wall: UInt64) {
        let previous = engine
        for published in update.events {
            if case .kernel(let k, _) = published.event, k.isSocketEvent {
                events.insert(TimedEvent(event: k, wallNanos: published.time), at: 0)
            }
        }
        if events.count > Self.maxEvents { events.removeLast(events.count - Self.maxEvents) }
        engine = update.state
        if requestedCriteria == engine.criteria { requestedCriteria = nil }
        // An update that changed none of what the rows come from (a scan that found the same,
        // a lost-events count) keeps the sorted rows.
        if !previous.givesSameRows(as: engine) {
            cache = RowsCache(prepared)
        } else if let prepared {
            // The same rows prepared again for more columns (a first state comes sorted by the
            // shown columns only, then by all).
            cache.adopt(prepared)
        }
        // What changed, from the persistent dictionaries' structure: an update shares most of
        // its tree with the one before, so this costs what changed, not every process.
        let gone = previous.records.keys.subtracting(engine.records.keys)
        // What the first state holds was there already: not news, so not kept.
        if hasFirstState {
            for identity in engine.records.keys.subtracting(previous.records.keys) { firstSeen[identity] = wall }
        }
        hasFirstState = true
        // A tag follows its process: one that is gone can no longer be signalled.
        if !tagged.isEmpty { tagged = tagged.filter { engine.records[$0] != nil } }
        // Only processes still present need a first-seen time; without this a long session on a
        // busy host would keep one entry for every process that ever listened.
        if firstSeen.count > engine.records.count { firstSeen = firstSeen.filter { engine.records[$0.key] != nil } }
        // Rows that left a pane stay a while as tombstones.
        func candidate(_ identity: ProcessIdentity, _ state: EngineState) -> Bool {
            state.records[identity] != nil && state.verdicts[identity]?.isCandidate == true
        }
        let leftMatched: [ProcessIdentity] = previous.verdicts == engine.verdicts
            ? gone.filter { candidate($0, previous) }
            : previous.verdicts.keys.filter { candidate($0, previous) && !candidate($0, engine) }
        for (pane, left) in [(Pane.processes, Array(gone)), (.matched, leftMatched)] {
            for identity in left {
                if let record = previous.records[identity] {
                    panes[pane].tombstones[identity] = PaneState.Tombstone(record: record, goneAt: wall)
                    cache = cache.keepingOrders()
                }
            }
            // A row that came back is a row again.
            if !panes[pane].tombstones.isEmpty {
                let kept = panes[pane].tombstones.filter { pane == .matched ? !candidate($0.key, engine) : engine.records[$0.key] == nil }
                if kept.count != panes[pane].tombstones.count { cache = cache.keepingOrders() }
                panes[pane].tombstones = kept
            }
        }
        expire(at: wall)
    }

    /// Drops tombstones older than a few seconds, and highlights that faded; true if anything
    /// changed on screen.
    @discardableResult
    mutating func expire(at wall: UInt64) -> Bool {
        var changed = false
        for pane in Pane.allCases where !panes[pane].tombstones.isEmpty {
            let rows = panes[pane].tombstones
            let kept = rows.filter { wall &- $0.value.goneAt < Self.highlightNanos }
            changed = changed || kept.count != rows.count
            panes[pane].tombstones = kept
        }
        if changed { cache = cache.keepingOrders() }
        // A faded highlight is no longer kept: the map holds only what is news now.
        let fresh = firstSeen.filter { wall &- $0.value < Self.highlightNanos }
        if fresh.count != firstSeen.count {
            firstSeen = fresh
            changed = true
        }
        return changed
    }

    /// When the next highlight or tombstone fades: the run loop sleeps until then at most.
    func nextExpiry(after wall: UInt64) -> UInt64? {
        let gone = Pane.allCases.flatMap { panes[$0].tombstones.values.map(\.goneAt) }
        let fades = (gone + firstSeen.values).map { $0 &+ Self.highlightNanos } + [notice.map { $0.at &+ Self.noticeNanos }].compactMap { $0 }
        return fades.filter { $0 > wall }.min()
    }

    static let noticeNanos: UInt64 = 5_000_000_000

    /// The notice, while it has not faded.
    var currentNotice: String? {
        guard let notice, now &- notice.at < Self.noticeNanos else { return nil }
        return notice.text
    }

    func isFresh(_ identity: ProcessIdentity) -> Bool {
        guard let seen = firstSeen[identity] else { return false }
        return now &- seen < Self.highlightNanos
    }

    /// The finished read for the inspect view, if it is still open on that process.
    mutating func deliver(_ inspection: Inspection) {
        guard inspecting?.pid == inspection.pid else { return }
        inspecting?.inspection = inspection
    }

    // MARK: - Rows

    /// Processes pane rows: live ones plus tombstones that pass the filter, in the pane's sort
    /// order, or in the tree's.
    func rows(for pane: Pane) -> PaneRows {
        guard pane != .events else { return .empty }
        let settings = RowsCache.Settings(
            sort: panes[pane].sort, inverted: panes[pane].inverted, filter: filter, tree: tree, startedAt: startedAt, bootWallNanos: bootWallNanos)
        return cache.rows(for: pane, settings) { makeRows(for: pane) }
    }

    /// How many processes the engine matched, and their pids: the header's count, and which
    /// bind events stand out.
    var matched: (count: Int, pids: Set<Int32>) {
        cache.matched { matchedSummary() }
    }

    func matchedSummary() -> (count: Int, pids: Set<Int32>) {
        let pids = engine.verdicts.lazy.filter { $0.value.matched }.compactMap { engine.records[$0.key]?.pid }
        return (engine.matchedCount, Set(pids))
    }

    /// What the preparer should work out for the engine's next states: the orders of every
    /// column the process panes can sort by, so that changing the sort asks for nothing new.
    var rowsRequest: PreparedRows.Request {
        func columns(_ pane: Pane) -> [ColumnID] {
            let sortable = sortable(in: pane)
            return sortable.contains(panes[pane].sort) ? sortable : sortable + [panes[pane].sort]
        }
        return PreparedRows.Request(
            columns: [.processes: columns(.processes), .matched: columns(.matched)], startedAt: startedAt, bootWallNanos: bootWallNanos,
            sorts: [.processes: panes[.processes].sort, .matched: panes[.matched].sort])
    }

    private func makeRows(for pane: Pane) -> PaneRows {
        let column = PaneColumns.sortColumn(of: pane, panes[pane].sort)
        let order = PreparedRows.Order(column: column.id, startedAt: startedAt, bootWallNanos: bootWallNanos)
        let live = cache.order(of: pane, order) { LiveOrder.of(pane, by: [column], in: self)[column.id] ?? LiveOrder([]) }
        let tombstones = panes[pane].tombstones
        var rows = PaneRows(order: placing(tombstones, among: live, by: column), engine: engine, tombstones: tombstones)
        if let filter { rows.filter { filter.matches($0.record) } }
        if panes[pane].inverted { rows.reverse() }
        if tree { rows.arrangeAsTree() }
        return rows
    }

    /// `live` with the tombstones put where the same order puts them: when they are few, each
    /// is placed by a binary search rather than by sorting all again.
    private func placing(_ tombstones: [ProcessIdentity: PaneState.Tombstone], among live: LiveOrder, by column: Column<PaneRow>) -> LiveOrder {
        guard !tombstones.isEmpty else { return live }
        let gone = tombstones.values.map { PaneRow(record: $0.record, kind: .tombstone) }
        // Many (a workload of thousands just exited): one sort of all is cheaper.
        if tombstones.count * 16 > live.count {
            let rows = live.sequence.compactMap { engine.records[$0] }.map { PaneRow(record: $0, kind: .live) }
            return LiveOrder(LiveOrder.sorting(rows + gone, by: column, in: self))
        }
        var placed: [ProcessIdentity] = []
        placed.reserveCapacity(live.count + gone.count)
        var next = 0
        for row in gone.sorted(by: { column.precedes($0, $1, in: self) }) {
            var low = next
            var high = live.count
            while low < high {
                let middle = (low + high) / 2
                if let record = engine.records[live[middle]], column.precedes(PaneRow(record: record, kind: .live), row, in: self) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            placed += (next..<low).lazy.map { live[$0] }
            placed.append(row.record.identity)
            next = low
        }
        placed += (next..<live.count).lazy.map { live[$0] }
        return LiveOrder(placed)
    }

    /// The Bind events the filter lets through, newest first.
    var shownEvents: [TimedEvent] {
        guard let filter else { return events }
        return events.filter { filter.matches($0.event) }
    }

    /// Index of the selected row in `pane`; follows the pid, falls back to the first row.
    /// Pass `rows` when they are at hand: computing them sorts the whole pane.
    func selectedIndex(in pane: Pane, rows given: PaneRows? = nil) -> Int? {
        if pane == .events {
            let count = filter == nil ? events.count : shownEvents.count
            return count == 0 ? nil : min(panes.events.selectedRow, count - 1)
        }
        let rows = given ?? rows(for: pane)
        guard !rows.isEmpty else { return nil }
        if let pid = panes[pane].selectedPID, let index = rows.index(ofPID: pid) { return index }
        return 0
    }

    var selectedRecord: ProcessRecord? {
        switch focus {
        case .events:
            let shown = shownEvents
            guard let index = selectedIndex(in: .events) else { return nil }
            let pid = shown[index].event.pid
            return engine.records.values.first { $0.pid == pid }
        case .processes, .matched:
            let rows = rows(for: focus)
            return selectedIndex(in: focus, rows: rows).map { rows[$0].record }
        }
    }

    /// The keys of the screen that shows now; the prompt edits text and has none.
    var keyTable: KeyTable {
        if menu?.confirming != nil { return KeyTables.confirm }
        if menu != nil { return KeyTables.menu }
        if showingHelp { return KeyTables.help }
        if inspecting != nil { return KeyTables.inspect }
        return KeyTables.main
    }
}
