import Engine

enum Pane: Int, CaseIterable, Sendable {
    case events, processes, matched

    var title: String {
        switch self {
        case .events: "Bind events"
        case .processes: "Processes"
        case .matched: "Matched"
        }
    }
}

/// Columns a process pane can sort by.
enum SortColumn: Int, CaseIterable, Sendable {
    case pid, user, comm, ports, exe

    var label: String {
        switch self {
        case .pid: "PID"
        case .user: "USER"
        case .comm: "COMM"
        case .ports: "PORTS"
        case .exe: "EXE"
        }
    }
}

/// What a key asks the run loop to do besides redrawing.
struct Reaction: Equatable {
    var redraw = false
    var quit = false
    /// New criteria to hand to the engine (the prompt changed a valid range list).
    var criteria: Criteria?
    var fullRedraw = false
    var refreshChanged = false

    static let none = Reaction()
    static let redraw = Reaction(redraw: true)
}

/// Everything the monitor shows, as a value: the engine's latest state plus the view's own
/// (focus, selection, sorting, prompt, tombstones). Keys change it through `handle`, which
/// returns reaction flags instead of drawing; `MonitorRenderer` turns it into a grid.
struct MonitorState {
    static let highlightNanos: UInt64 = 3_000_000_000
    static let maxEvents = 500

    var engine = EngineState()
    /// Bind, listen and close events, newest first.
    private(set) var events: [TimedEvent] = []
    var focus: Pane = .processes
    /// The cursor follows a pid, not a row index, so re-sorting never moves it to another process.
    var selectedPID: [Pane: Int32] = [:]
    var selectedEvent = 0
    var sort: [Pane: SortColumn] = [.processes: .pid, .matched: .pid]
    var inverted: [Pane: Bool] = [:]
    var prompt: PromptState?
    var paused = false
    /// Least time between two frames drawn for engine updates; 100 ms caps drawing at 10 a second.
    var refreshMillis = 100
    var inspecting: Inspection?
    var showingHelp = false
    /// The first help line shown; the renderer keeps the page full.
    var helpScroll = 0
    /// What the help showed at the last render: PgUp/PgDn move by its page, End goes to its end.
    var helpShown: HelpView.Viewport?
    /// Rows that left a pane (the process exited or stopped listening; for Matched, also stopped
    /// matching), kept for a few seconds as dimmed rows, as htop's -H does.
    private(set) var tombstones: [Pane: [ProcessIdentity: (record: ProcessRecord, goneAt: UInt64)]] = [:]
    private(set) var firstSeen: [ProcessIdentity: UInt64] = [:]
    /// False until the first engine state arrives: what it holds was already there, not news.
    private var hasFirstState = false
    /// Wall-clock nanoseconds used for highlights; set by the run loop before each render.
    var now: UInt64 = 0
    /// Criteria other than the ports (e.g. --exe-path) that the prompt keeps.
    var baseCriteria = Criteria()
    /// Rows visible per pane at the last render: PgUp/PgDn move by this much.
    var pageRows: [Pane: Int] = [:]

    struct TimedEvent: Equatable {
        var event: KernelEvent
        var wallNanos: UInt64
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
        let before = Set(previous.processes.map(\.identity))
        let after = Set(engine.processes.map(\.identity))
        for identity in after.subtracting(before) { firstSeen[identity] = hasFirstState ? wall : 0 }
        hasFirstState = true
        // Only processes still present need a first-seen time; without this a long session on a
        // busy host would keep one entry for every process that ever listened.
        if firstSeen.count > after.count { firstSeen = firstSeen.filter { after.contains($0.key) } }
        for pane in [Pane.processes, .matched] {
            let was = Self.members(of: pane, in: previous)
            let now = Self.members(of: pane, in: engine)
            for record in previous.processes where was.contains(record.identity) && !now.contains(record.identity) {
                tombstones[pane, default: [:]][record.identity] = (record, wall)
            }
            for identity in now { tombstones[pane]?.removeValue(forKey: identity) }
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
        for (pane, rows) in tombstones {
            let kept = rows.filter { wall &- $0.value.goneAt < Self.highlightNanos }
            changed = changed || kept.count != rows.count
            tombstones[pane] = kept
        }
        return changed
    }

    var hasLiveHighlights: Bool {
        tombstones.values.contains { !$0.isEmpty } || firstSeen.values.contains { $0 != 0 && now &- $0 < Self.highlightNanos }
    }

    func isFresh(_ identity: ProcessIdentity) -> Bool {
        guard let seen = firstSeen[identity], seen != 0 else { return false }
        return now &- seen < Self.highlightNanos
    }

    // MARK: - Rows

    enum RowKind { case live, tombstone }

    /// Processes pane rows: live ones plus tombstones, in the pane's sort order.
    func rows(for pane: Pane) -> [(record: ProcessRecord, kind: RowKind)] {
        var rows: [(record: ProcessRecord, kind: RowKind)]
        switch pane {
        case .processes:
            rows = engine.processes.map { ($0, .live) } + (tombstones[.processes] ?? [:]).values.map { ($0.record, .tombstone) }
        case .matched:
            // Pending matches (port-less, younger than min_process_age) are listed, dimmed, until they match.
            rows = engine.processes.filter { engine.verdicts[$0.identity]?.isCandidate == true }.map { ($0, .live) }
                + (tombstones[.matched] ?? [:]).values.map { ($0.record, .tombstone) }
        case .events:
            return []
        }
        let column = sort[pane] ?? .pid
        let descending = inverted[pane] ?? false
        rows.sort { a, b in
            let ordered = Self.less(a.record, b.record, by: column)
            return descending ? Self.less(b.record, a.record, by: column) : ordered
        }
        return rows
    }

    static func less(_ a: ProcessRecord, _ b: ProcessRecord, by column: SortColumn) -> Bool {
        switch column {
        case .pid: return a.identity < b.identity
        case .user: return (a.user, a.pid) < (b.user, b.pid)
        case .comm: return (a.comm, a.pid) < (b.comm, b.pid)
        case .ports: return (a.ports?.first?.socket.port ?? 0, a.pid) < (b.ports?.first?.socket.port ?? 0, b.pid)
        case .exe: return (a.exe ?? "", a.pid) < (b.exe ?? "", b.pid)
        }
    }

    /// Index of the selected row in `pane`; follows the pid, falls back to the first row.
    /// Pass `rows` when they are at hand: computing them sorts the whole pane.
    func selectedIndex(in pane: Pane, rows given: [(record: ProcessRecord, kind: RowKind)]? = nil) -> Int? {
        if pane == .events { return events.isEmpty ? nil : min(selectedEvent, events.count - 1) }
        let rows = given ?? rows(for: pane)
        guard !rows.isEmpty else { return nil }
        if let pid = selectedPID[pane], let index = rows.firstIndex(where: { $0.record.pid == pid }) { return index }
        return 0
    }

    var selectedRecord: ProcessRecord? {
        switch focus {
        case .events:
            guard let index = selectedIndex(in: .events) else { return nil }
            let pid = events[index].event.pid
            return engine.processes.first { $0.pid == pid }
        case .processes, .matched:
            guard let index = selectedIndex(in: focus) else { return nil }
            return rows(for: focus)[index].record
        }
    }

    // MARK: - Keys

    mutating func handle(_ key: Key) -> Reaction {
        if key == .resize { return Reaction(redraw: true, fullRedraw: true) }
        if key == .controlC { return Reaction(quit: true) }
        if prompt != nil { return handlePrompt(key) }
        if showingHelp { return handleHelp(key) }
        if inspecting != nil {
            switch key {
            case .escape, .enter, .character("i"), .backspace, .character("h"): inspecting = nil; return .redraw
            case .character("q"), .function(10): return Reaction(quit: true)
            case .controlL: return Reaction(redraw: true, fullRedraw: true)
            default: return .none
            }
        }
        switch key {
        case .character("q"), .function(10): return Reaction(quit: true)
        case .character("?"), .function(1), .character("h"):
            showingHelp = true
            helpScroll = 0
        case .tab: focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count)!
        case .backTab: focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
        case .up, .character("k"): move(by: -1)
        case .down, .character("j"): move(by: 1)
        case .pageUp: move(by: -max(1, pageRows[focus] ?? 10))
        case .pageDown: move(by: max(1, pageRows[focus] ?? 10))
        case .home, .character("g"): move(by: Int.min / 2)
        case .end, .character("G"): move(by: Int.max / 2)
        case .character(">"), .character("."): changeSort(by: 1)
        case .character("<"), .character(","): changeSort(by: -1)
        case .character("I"): inverted[focus] = !(inverted[focus] ?? false)
        case .character(" "): paused.toggle()
        case .character("+"), .character("="):
            refreshMillis = max(100, refreshMillis / 2)
            return Reaction(redraw: true, refreshChanged: true)
        case .character("-"), .character("_"):
            refreshMillis = min(10_000, refreshMillis * 2)
            return Reaction(redraw: true, refreshChanged: true)
        case .controlL: return Reaction(redraw: true, fullRedraw: true)
        case .character("/"): prompt = PromptState(text: engine.criteria.topLevel.openPorts?.description ?? "")
        case .enter, .character("i"):
            guard let record = selectedRecord else { return .none }
            inspecting = Inspection.of(record, verdict: engine.verdicts[record.identity], criteria: engine.criteria)
        default: return .none
        }
        return .redraw
    }

    /// Scroll keys move the help; `q` quits; any other key goes back.
    private mutating func handleHelp(_ key: Key) -> Reaction {
        let page = max(1, helpShown?.page ?? 10)
        let last = helpShown?.lastScroll ?? 0
        let current = min(max(0, helpScroll), last)
        switch key {
        case .up, .character("k"): helpScroll = max(0, current - 1)
        case .down, .character("j"): helpScroll = min(last, current + 1)
        case .pageUp: helpScroll = max(0, current - page)
        case .pageDown: helpScroll = min(last, current + page)
        case .home, .character("g"): helpScroll = 0
        case .end, .character("G"): helpScroll = last
        case .controlL: return Reaction(redraw: true, fullRedraw: true)
        case .character("q"), .function(10): return Reaction(quit: true)
        default: showingHelp = false
        }
        return .redraw
    }

    private mutating func handlePrompt(_ key: Key) -> Reaction {
        guard var editing = prompt else { return .none }
        switch key {
        case .enter:
            prompt = nil
            return .redraw
        case .escape:
            prompt = nil
            let restored = (try? PortRanges.parseOptional(editing.original)) ?? nil
            return Reaction(redraw: true, criteria: criteria(with: restored))
        default:
            guard editing.edit(key) else { return .none }
            prompt = editing
            guard let parsed = editing.parsed, parsed != engine.criteria.topLevel.openPorts else { return .redraw }
            return Reaction(redraw: true, criteria: criteria(with: parsed))
        }
    }

    private func criteria(with ports: PortRanges?) -> Criteria {
        baseCriteria.withTopLevelPorts(ports)
    }

    private mutating func move(by delta: Int) {
        if focus == .events {
            guard !events.isEmpty else { return }
            selectedEvent = min(max(0, (selectedIndex(in: .events) ?? 0) + delta), events.count - 1)
            return
        }
        let rows = rows(for: focus)
        guard !rows.isEmpty else { return }
        let current = selectedIndex(in: focus) ?? 0
        let next = min(max(0, current.addingReportingOverflow(delta).partialValue), rows.count - 1)
        selectedPID[focus] = rows[next].record.pid
    }

    private mutating func changeSort(by step: Int) {
        guard focus != .events else { return }
        let count = SortColumn.allCases.count
        let current = (sort[focus] ?? .pid).rawValue
        sort[focus] = SortColumn(rawValue: (current + step + count) % count)
    }
}
