import Engine

/// Keys, through the key table of the screen that shows, to what they do.
extension MonitorState {
    mutating func handle(_ key: Key) -> Reaction {
        if key == .resize { return Reaction(redraw: true, fullRedraw: true) }
        if key == .controlC { return Reaction(quit: true) }
        if prompt != nil { return handlePrompt(key) }
        guard let action = keyTable.action(for: key) else { return .none }
        if action == .click, case .mouse(let press) = key { return click(press) }
        return perform(action)
    }

    mutating func perform(_ action: MonitorAction) -> Reaction {
        switch action {
        case .quit: return Reaction(quit: true)
        case .redraw: return Reaction(redraw: true, fullRedraw: true)
        case .suspend: return Reaction(redraw: true, fullRedraw: true, suspend: true)
        case .help: help = ScrollPosition()
        case .back:
            help = nil
            inspecting = nil
            menu = nil
        case .editPorts: prompt = PromptState(text: wantedCriteria.topLevel.openPorts?.description ?? "")
        case .editFilter: prompt = PromptState(text: filter?.text ?? "", purpose: .filter)
        case .clearFilter: filter = nil
        case .search: prompt = PromptState(text: search ?? "", purpose: .search)
        case .nextPane: focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count)!
        case .previousPane: focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
        case .move(let movement):
            if menu != nil {
                let count = menuItems.count
                menu?.move(movement, count: count)
            } else if help != nil {
                help?.move(movement)
            } else if inspecting != nil {
                inspecting?.scroll.move(movement)
            } else {
                move(movement)
            }
        case .sortNext: changeSort(by: 1)
        case .sortPrevious: changeSort(by: -1)
        case .invertSort: panes[focus].inverted.toggle()
        case .sortMenu:
            guard focus != .events else { return say("Bind events are always newest first") }
            menu = MenuState(purpose: .sort(focus), selected: sortable(in: focus).firstIndex(of: panes[focus].sort) ?? 0)
        case .columnsMenu:
            guard focus != .events else { return say("Bind events show every column") }
            menu = MenuState(purpose: .columns(focus))
        case .toggleTree: tree.toggle()
        case .tag:
            guard let record = selectedRecord, focus != .events else { return .none }
            if tagged.remove(record.identity) == nil { tagged.insert(record.identity) }
            move(.down)
        case .untagAll: tagged = []
        case .signalMenu:
            guard !readonly else {
                return say(engine.nodes.isEmpty ? "signals are off: discotop runs --readonly" : "signals are off: these are the agents' processes, not this machine's")
            }
            let targets = signalTargets
            guard !targets.isEmpty else { return say("no process selected") }
            menu = MenuState(purpose: .signal(targets))
        case .choose: return choose()
        case .confirm:
            guard case .signal(let targets) = menu?.purpose, let signal = menu?.confirming else { return .none }
            menu = nil
            return Reaction(redraw: true, signal: SignalRequest(signal: signal, targets: targets))
        case .togglePause: paused.toggle()
        case .faster:
            refreshMillis = max(100, refreshMillis / 2)
            return Reaction(redraw: true, refreshChanged: true)
        case .slower:
            refreshMillis = min(10_000, refreshMillis * 2)
            return Reaction(redraw: true, refreshChanged: true)
        case .inspect:
            guard let record = selectedRecord else { return .none }
            inspecting = InspectState(record: record)
            return Reaction(redraw: true, inspect: record)
        case .click: return .none
        case .growPane, .shrinkPane:
            guard paneShares.resize(focus, by: action == .growPane ? 1 : -1) else {
                return say("\(focus.title) is as \(action == .growPane ? "tall" : "short") as it goes")
            }
        case .export:
            notice = Notice(text: "exporting...", at: now)
            return Reaction(redraw: true, export: true)
        }
        return .redraw
    }

    /// Shows a notice (it fades by itself) and redraws.
    mutating func say(_ text: String) -> Reaction {
        notice = Notice(text: text, at: now)
        return .redraw
    }

    /// The tagged processes still present, else the selected one.
    var signalTargets: [ProcessTarget] {
        let tags = tagged.compactMap { engine.records[$0] }.sorted { $0.identity < $1.identity }
        let records = tags.isEmpty ? [selectedRecord].compactMap { $0 } : tags
        return records.map { ProcessTarget(pid: $0.pid, startTicks: $0.identity.startTime, comm: $0.comm) }
    }

    private mutating func choose() -> Reaction {
        guard let open = menu, menuItems.indices.contains(open.selected) else { return .none }
        switch open.purpose {
        case .sort(let pane):
            panes[pane].sort = sortable(in: pane)[open.selected]
            menu = nil
        case .columns(let pane):
            let id = hideable(in: pane)[open.selected]
            if panes[pane].hidden.remove(id) == nil { panes[pane].hidden.insert(id) }
        case .signal:
            menu?.confirming = ProcessSignal.allCases[open.selected]
        }
        return .redraw
    }

    private mutating func handlePrompt(_ key: Key) -> Reaction {
        guard var editing = prompt else { return .none }
        switch (editing.purpose, key) {
        case (.ports, .enter), (.filter, .enter), (.search, .enter), (.search, .escape):
            prompt = nil
            return .redraw
        case (.ports, .escape):
            prompt = nil
            let restored = (try? PortRanges.parseOptional(editing.original)) ?? nil
            return ask(criteria(with: restored))
        case (.filter, .escape):
            prompt = nil
            filter = nil
            return .redraw
        case (.search, .function(3)):
            findNext(editing.string, after: true)
            return .redraw
        default:
            guard editing.edit(key) else { return .none }
            prompt = editing
            switch editing.purpose {
            case .filter:
                filter = ProcessFilter(editing.string)
                return .redraw
            case .search:
                findNext(editing.string, after: false)
                return .redraw
            case .ports:
                guard let parsed = editing.parsed, parsed != wantedCriteria.topLevel.openPorts else { return .redraw }
                return ask(criteria(with: parsed))
            }
        }
    }

    private mutating func ask(_ criteria: Criteria) -> Reaction {
        request(criteria)
        return Reaction(redraw: true, criteria: criteria)
    }

    private func criteria(with ports: PortRanges?) -> Criteria {
        baseCriteria.withTopLevelPorts(ports)
    }

    /// Moves the selection of the focused pane to the first row containing `text`, from the
    /// selected row on (`after`: from the one below it), wrapping around.
    private mutating func findNext(_ text: String, after: Bool) {
        search = text
        guard let needle = ProcessFilter(text) else { return }
        let count: Int
        let matches: (Int) -> Bool
        let rows = rows(for: focus)
        let events = focus == .events ? shownEvents : []
        if focus == .events {
            count = events.count
            matches = { needle.matches(events[$0].event) }
        } else {
            count = rows.count
            matches = { needle.matches(rows[$0].record) }
        }
        guard count > 0 else { return }
        let start = (selectedIndex(in: focus, rows: rows) ?? 0) + (after ? 1 : 0)
        guard let found = (0..<count).map({ (start + $0) % count }).first(where: matches) else {
            notice = Notice(text: "no row of \(focus.title) contains \"\(text)\"", at: now)
            return
        }
        select(index: found, in: focus, rows: rows)
    }

    /// Selects the row at `index` of `pane`; `rows` are the pane's rows (none for Bind events).
    mutating func select(index: Int, in pane: Pane, rows: PaneRows) {
        if pane == .events {
            panes.events.selectedRow = index
        } else if rows.indices.contains(index) {
            panes[pane].selectedPID = rows[index].record.pid
        }
    }

    mutating func move(_ movement: MonitorAction.Movement) {
        let page = max(1, panes[focus].pageRows)
        let delta = switch movement {
        case .up: -1
        case .down: 1
        case .pageUp: -page
        case .pageDown: page
        case .top: Int.min / 2
        case .bottom: Int.max / 2
        }
        let rows = rows(for: focus)
        let count = focus == .events ? shownEvents.count : rows.count
        guard count > 0 else { return }
        let current = selectedIndex(in: focus, rows: rows) ?? 0
        select(index: min(max(0, current.addingReportingOverflow(delta).partialValue), count - 1), in: focus, rows: rows)
    }

    private mutating func changeSort(by step: Int) {
        let sortable = sortable(in: focus)
        guard !sortable.isEmpty else { return }
        let current = sortable.firstIndex(of: panes[focus].sort) ?? 0
        panes[focus].sort = sortable[(current + step + sortable.count) % sortable.count]
    }
}
