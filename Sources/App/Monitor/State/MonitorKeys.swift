import Engine

/// Keys, through the key table of the screen that shows, to what they do.
extension MonitorState {
    mutating func handle(_ key: Key) -> Reaction {
        if key == .resize { return Reaction(redraw: true, fullRedraw: true) }
        if key == .controlC { return Reaction(quit: true) }
        if prompt != nil { return handlePrompt(key) }
        guard let action = keyTable.action(for: key) else { return .none }
        return perform(action)
    }

    mutating func perform(_ action: MonitorAction) -> Reaction {
        switch action {
        case .quit: return Reaction(quit: true)
        case .redraw: return Reaction(redraw: true, fullRedraw: true)
        case .help: help = ScrollPosition()
        case .back:
            help = nil
            inspecting = nil
        case .editPorts: prompt = PromptState(text: wantedCriteria.topLevel.openPorts?.description ?? "")
        case .nextPane: focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count)!
        case .previousPane: focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
        case .move(let movement):
            if help != nil {
                help?.move(movement)
            } else if inspecting != nil {
                inspecting?.scroll.move(movement)
            } else {
                move(movement)
            }
        case .sortNext: changeSort(by: 1)
        case .sortPrevious: changeSort(by: -1)
        case .invertSort: panes[focus].inverted.toggle()
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
            return ask(criteria(with: restored))
        default:
            guard editing.edit(key) else { return .none }
            prompt = editing
            guard let parsed = editing.parsed, parsed != wantedCriteria.topLevel.openPorts else { return .redraw }
            return ask(criteria(with: parsed))
        }
    }

    private mutating func ask(_ criteria: Criteria) -> Reaction {
        request(criteria)
        return Reaction(redraw: true, criteria: criteria)
    }

    private func criteria(with ports: PortRanges?) -> Criteria {
        baseCriteria.withTopLevelPorts(ports)
    }

    private mutating func move(_ movement: MonitorAction.Movement) {
        let page = max(1, panes[focus].pageRows)
        let delta = switch movement {
        case .up: -1
        case .down: 1
        case .pageUp: -page
        case .pageDown: page
        case .top: Int.min / 2
        case .bottom: Int.max / 2
        }
        if focus == .events {
            guard !events.isEmpty else { return }
            panes.events.selectedRow = min(max(0, (selectedIndex(in: .events) ?? 0) + delta), events.count - 1)
            return
        }
        let rows = rows(for: focus)
        guard !rows.isEmpty else { return }
        let current = selectedIndex(in: focus, rows: rows) ?? 0
        let next = min(max(0, current.addingReportingOverflow(delta).partialValue), rows.count - 1)
        panes[focus].selectedPID = rows[next].record.pid
    }

    private mutating func changeSort(by step: Int) {
        let sortable = PaneColumns.sortable(in: focus)
        guard !sortable.isEmpty else { return }
        let current = sortable.firstIndex(of: panes[focus].sort) ?? 0
        panes[focus].sort = sortable[(current + step + sortable.count) % sortable.count]
    }
}
