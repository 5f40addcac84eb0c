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
        let before = Set(previous.processes.map(\.identity))
        let after = Set(engine.processes.map(\.identity))
        for identity in after.subtracting(before) { firstSeen[identity] = hasFirstState ? wall : 0 }
        hasFirstState = true
        // A tag follows its process: one that is gone can no longer be signalled.
        if !tagged.isEmpty { tagged = tagged.filter { engine.records[$0] != nil } }
        // Only processes still present need a first-seen time; without this a long session on a
        // busy host would keep one entry for every process that ever listened.
        if firstSeen.count > after.count { firstSeen = firstSeen.filter { after.contains($0.key) } }
        for pane in [Pane.processes, .matched] {
            let was = Self.members(of: pane, in: previous)
            let now = Self.members(of: pane, in: engine)
            for record in previous.processes where was.contains(record.identity) && !now.contains(record.identity) {
                panes[pane].tombstones[record.identity] = PaneState.Tombstone(record: record, goneAt: wall)
            }
            for identity in now { panes[pane].tombstones.removeValue(forKey: identity) }
        }
        expire(at: wall)
    }

    private static func members(of pane: Pane, in state: EngineState) -> Set<ProcessIdentity> {
        let all = state.processes.map(\.identity)
        return Set(pane == .matched ? all.filter { state.verdicts[$0]?.isCandidate == true } : all)
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
        var rows: [PaneRow]
        let gone = panes[pane].tombstones.values.map { PaneRow(record: $0.record, kind: .tombstone) }
        // The records unsorted: the column's sort orders them anyway (`processes` would sort twice).
        let records = engine.records.values
        switch pane {
        case .processes:
            rows = records.map { PaneRow(record: $0, kind: .live) } + gone
        case .matched:
            // Pending matches (port-less, younger than min_process_age) are listed, dimmed, until they match.
            rows = records.filter { engine.verdicts[$0.identity]?.isCandidate == true }.map { PaneRow(record: $0, kind: .live) } + gone
        case .events:
            return []
        }
        if let filter { rows = rows.filter { filter.matches($0.record) } }
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
