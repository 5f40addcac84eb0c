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

    mutating func apply(_ update: EngineUpdate, at wall: UInt64) {
        let previous = engine
        for published in update.events {
            if case .kernel(let k, _) = published.event, k.isSocketEvent {
                events.insert(TimedEvent(event: k, wallNanos: published.time), at: 0)
            }
        }
        if events.count > Self.maxEvents { events.removeLast(events.count - Self.maxEvents) }
        engine = update.state
        if requestedCriteria == engine.criteria { requestedCriteria = nil }
        // The rows come from these alone (and the tombstones, below): an update that changed
        // none of them (a scan that found the same, a lost-events count) keeps the sorted rows.
        // Persistent dictionaries that share their storage compare at once.
        if previous.records != engine.records || previous.verdicts != engine.verdicts || previous.discoveredAt != engine.discoveredAt
            || previous.matchedAt != engine.matchedAt || previous.criteria != engine.criteria {
            cache = RowsCache()
        }
        // What changed, from the persistent dictionaries' structure: an update shares most of
        // its tree with the one before, so this costs what changed, not every process.
        let gone = previous.records.keys.subtracting(engine.records.keys)
        for identity in engine.records.keys.subtracting(previous.records.keys) { firstSeen[identity] = hasFirstState ? wall : 0 }
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
                    cache = RowsCache()
                }
            }
            // A row that came back is a row again.
            if !panes[pane].tombstones.isEmpty {
                let kept = panes[pane].tombstones.filter { pane == .matched ? !candidate($0.key, engine) : engine.records[$0.key] == nil }
                if kept.count != panes[pane].tombstones.count { cache = RowsCache() }
                panes[pane].tombstones = kept
            }
        }
        expire(at: wall)
    }

    /// Drops tombstones older than a few seconds; true if anything changed.
    @discardableResult
    mutating func expire(at wall: UInt64) -> Bool {
        var changed = false
        for pane in Pane.allCases {
            let rows = panes[pane].tombstones
            let kept = rows.filter { wall &- $0.value.goneAt < Self.highlightNanos }
            changed = changed || kept.count != rows.count
            panes[pane].tombstones = kept
        }
        if changed { cache = RowsCache() }
        return changed
    }

    /// When the next highlight or tombstone fades: the run loop sleeps until then at most.
    func nextExpiry(after wall: UInt64) -> UInt64? {
        let gone = Pane.allCases.flatMap { panes[$0].tombstones.values.map(\.goneAt) }
        let seen = firstSeen.values.filter { $0 != 0 }
        let fades = (gone + seen).map { $0 &+ Self.highlightNanos } + [notice.map { $0.at &+ Self.noticeNanos }].compactMap { $0 }
        return fades.filter { $0 > wall }.min()
    }

    static let noticeNanos: UInt64 = 5_000_000_000

    /// The notice, while it has not faded.
    var currentNotice: String? {
        guard let notice, now &- notice.at < Self.noticeNanos else { return nil }
        return notice.text
    }

    func isFresh(_ identity: ProcessIdentity) -> Bool {
        guard let seen = firstSeen[identity], seen != 0 else { return false }
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
    func rows(for pane: Pane) -> [PaneRow] {
        guard pane != .events else { return [] }
        let settings = RowsCache.Settings(
            sort: panes[pane].sort, inverted: panes[pane].inverted, filter: filter, tree: tree, startedAt: startedAt, bootWallNanos: bootWallNanos)
        return cache.rows(for: pane, settings) { makeRows(for: pane) }
    }

    /// How many processes the engine matched, and their pids: the header's count, and which
    /// bind events stand out.
    var matched: (count: Int, pids: Set<Int32>) {
        cache.matched {
            let pids = engine.verdicts.lazy.filter { $0.value.matched }.compactMap { engine.records[$0.key]?.pid }
            return (engine.matchedCount, Set(pids))
        }
    }

    private func makeRows(for pane: Pane) -> [PaneRow] {
        guard pane != .events else { return [] }
        // One pass, each record copied once: at 10,000 processes every copy of a record (its
        // strings and ports) is felt. Unsorted: the column's sort orders them anyway.
        var rows: [PaneRow] = []
        rows.reserveCapacity(engine.records.count + panes[pane].tombstones.count)
        for record in engine.records.values {
            // Pending matches (port-less, younger than min_process_age) are listed, dimmed, until they match.
            if pane == .matched, engine.verdicts[record.identity]?.isCandidate != true { continue }
            if let filter, !filter.matches(record) { continue }
            rows.append(PaneRow(record: record, kind: .live))
        }
        for gone in panes[pane].tombstones.values where filter?.matches(gone.record) ?? true {
            rows.append(PaneRow(record: gone.record, kind: .tombstone))
        }
        let column = PaneColumns.sortColumn(of: pane, panes[pane].sort)
        let sorted = column.sorted(rows, in: self, inverted: panes[pane].inverted)
        return tree ? ProcessTree.arrange(sorted) : sorted
    }

    /// The Bind events the filter lets through, newest first.
    var shownEvents: [TimedEvent] {
        guard let filter else { return events }
        return events.filter { filter.matches($0.event) }
    }

    /// Index of the selected row in `pane`; follows the pid, falls back to the first row.
    /// Pass `rows` when they are at hand: computing them sorts the whole pane.
    func selectedIndex(in pane: Pane, rows given: [PaneRow]? = nil) -> Int? {
        if pane == .events {
            let count = filter == nil ? events.count : shownEvents.count
            return count == 0 ? nil : min(panes.events.selectedRow, count - 1)
        }
        let rows = given ?? rows(for: pane)
        guard !rows.isEmpty else { return nil }
        if let pid = panes[pane].selectedPID, let index = rows.firstIndex(where: { $0.record.pid == pid }) { return index }
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
