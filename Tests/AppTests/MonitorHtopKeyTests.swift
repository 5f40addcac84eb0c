@testable import Engine
import Foundation
import Testing
@testable import App

/// The htop keys on the monitor's state, through the key table: filter, search, tree, tags,
/// signal, sort and column menus, the mouse, preferences and DISCOVERED.
@Suite struct MonitorHtopKeyTests {
    static func state() throws -> MonitorState { try MonitorGoldenFixture.state() }

    static func pids(_ state: MonitorState, _ pane: Pane) -> [Int32] { state.rows(for: pane).map(\.record.pid) }

    @Test func filterNarrowsEveryPaneShowsInTheHeaderAndEscClearsIt() throws {
        var state = try Self.state()
        _ = state.handle(.function(4))
        for c in "NGINX" { _ = state.handle(.character(c)) }
        #expect(Self.pids(state, .processes) == [812, 813, 814, 815])
        #expect(Self.pids(state, .matched) == [812, 813, 814, 815])
        #expect(state.shownEvents.isEmpty)
        _ = state.handle(.enter)
        #expect(state.prompt == nil && state.filter?.text == "NGINX")
        #expect(MonitorFixture.screen(state).line(0).contains("filter \"NGINX\""))
        // By pid, user, exe and port too; events by pid and port.
        for (text, expected) in [("4242", [Int32(4242)]), ("www-data", [813, 814, 815]), ("/usr/sbin", [641]), ("8081", [4242])] {
            state.filter = ProcessFilter(text)
            #expect(Self.pids(state, .processes) == expected, "\(text)")
        }
        state.filter = ProcessFilter("4243")
        #expect(state.shownEvents.count == 1)
        _ = state.handle(.escape)
        #expect(state.filter == nil && Self.pids(state, .processes).count == 6)
        // Esc in the prompt clears too.
        _ = state.handle(.character("\\"))
        _ = state.handle(.character("s"))
        #expect(state.filter?.text == "s")
        _ = state.handle(.escape)
        #expect(state.filter == nil && state.prompt == nil)
    }

    @Test func searchJumpsToTheNextMatchAndF3FindsTheOneAfter() throws {
        var state = try Self.state()
        _ = state.handle(.function(3))
        for c in "nginx" { _ = state.handle(.character(c)) }
        #expect(state.selectedRecord?.pid == 812)
        _ = state.handle(.function(3))
        #expect(state.selectedRecord?.pid == 813)
        _ = state.handle(.enter)
        _ = state.handle(.function(3))
        #expect(state.prompt?.string == "nginx")
        _ = state.handle(.function(3))
        #expect(state.selectedRecord?.pid == 814)
        _ = state.handle(.escape)
        // Rows stay: a search is not a filter.
        #expect(state.prompt == nil && Self.pids(state, .processes).count == 6)
        _ = state.handle(.function(3))
        _ = state.handle(.controlU)
        for c in "zzz" { _ = state.handle(.character(c)) }
        #expect(state.currentNotice?.contains("no row of Processes contains \"zzz\"") == true)
    }

    @Test func treePutsWorkersUnderTheirMasterAndSaysWhoInherited() throws {
        var state = try Self.state()
        _ = state.handle(.character("t"))
        #expect(state.tree)
        let rows = state.rows(for: .processes)
        #expect(rows.map(\.record.pid) == [641, 812, 813, 814, 815, 4242])
        #expect(rows.map { $0.tree?.prefix ?? "?" } == ["", "", "|- ", "|- ", "`- ", ""])
        let grid = MonitorFixture.screen(state)
        #expect(grid.text.contains("`- nginx"))
        let inherited = try #require(grid.text.split(separator: "\n").last { $0.hasPrefix("815 ") })
        #expect(inherited.contains("`- nginx") && inherited.contains("inherited from pid 812"))
        #expect(grid.text.contains("tree, sort PID"))
        _ = state.handle(.function(5))
        #expect(!state.tree)
    }

    @Test func treeKeepsEveryRowWhenParentsFormACycle() {
        var a = MonitorFixture.record(pid: 10, ports: [1])
        var b = MonitorFixture.record(pid: 11, ports: [2])
        a.ppid = 11
        b.ppid = 10
        let rows = ProcessTree.arrange([a, b].map { MonitorState.PaneRow(record: $0, kind: .live) })
        #expect(rows.map(\.record.pid) == [10, 11])
    }

    @Test func ppidColumnIsOffUntilTheColumnsMenuShowsIt() throws {
        var state = try Self.state()
        #expect(!MonitorFixture.screen(state).text.contains("PPID"))
        _ = state.handle(.function(2))
        let items = state.menuItems
        #expect(items.first?.label == "PPID" && items.first?.mark == "[ ]")
        _ = state.handle(.enter)
        #expect(state.menuItems.first?.mark == "[x]")
        _ = state.handle(.escape)
        let grid = MonitorFixture.screen(state)
        #expect(grid.text.contains("PID   PPID  USER"))
        #expect(grid.text.contains("813   812   www-data"))
    }

    @Test func sortMenuListsThePaneColumnsAndSorts() throws {
        var state = try Self.state()
        _ = state.handle(.function(6))
        // PPID is hidden, so it is not offered: a sort never lands on a column not shown.
        #expect(state.menuItems.map(\.label) == ["PID", "USER", "COMM", "PORTS", "EXE"])
        #expect(state.menuItems.first?.mark == "^")
        _ = state.handle(.down)
        _ = state.handle(.enter)
        #expect(state.menu == nil && state.panes.processes.sort == .user)
        #expect(Self.pids(state, .processes).last == 815)
    }

    @Test func spaceTagsAndTheSignalMenuAsksBeforeSending() throws {
        var state = try Self.state()
        state.panes.processes.selectedPID = 813
        _ = state.handle(.character(" "))
        _ = state.handle(.character(" "))
        #expect(state.tagged.map(\.pid).sorted() == [813, 814])
        #expect(state.selectedRecord?.pid == 815)
        _ = state.handle(.function(9))
        #expect(state.menuItems.count == ProcessSignal.allCases.count)
        #expect(state.menu?.title == "Send a signal to 2 tagged processes")
        _ = state.handle(.down)
        _ = state.handle(.enter)
        #expect(state.menu?.confirming == .kill)
        #expect(MonitorFixture.screen(state).text.contains("Send SIGKILL to these 2 processes?"))
        // Any other key cancels; nothing is sent.
        #expect(state.handle(.character("n")).signal == nil)
        #expect(state.menu == nil)
        _ = state.handle(.character("k"))
        _ = state.handle(.enter)
        let reaction = state.handle(.character("y"))
        #expect(reaction.signal?.signal == .term)
        #expect(reaction.signal?.targets.map(\.pid) == [813, 814])
        _ = state.handle(.character("U"))
        #expect(state.tagged.isEmpty)
        // Untagged: the selected process alone.
        _ = state.handle(.character("k"))
        #expect(state.menu?.title == "Send a signal to 815 nginx")
    }

    @Test func readonlyTurnsTheSignalMenuOff() throws {
        var state = try Self.state()
        state.readonly = true
        _ = state.handle(.character("k"))
        #expect(state.menu == nil)
        #expect(MonitorFixture.screen(state).text.contains("signals are off: discotop runs --readonly"))
    }

    @Test func aTagFollowsItsProcessAndGoesWithIt() throws {
        var state = try Self.state()
        state.panes.processes.selectedPID = 813
        _ = state.handle(.character(" "))
        MonitorFixture.publish(&state) { $0.processes.removeAll { $0.pid == 813 } }
        #expect(state.tagged.isEmpty)
    }

    @Test func signalSenderChecksTheProcessIsStillTheSame() {
        let target = ProcessTarget(pid: getpid(), startTicks: 1, comm: "self")
        #expect(SignalSender.send(SignalRequest(signal: .cont, targets: [target])) == "SIGCONT not sent to \(getpid()): the process has exited")
        let gone = ProcessTarget(pid: Int32.max - 1, startTicks: 1, comm: "gone")
        #expect(SignalSender.send(SignalRequest(signal: .term, targets: [gone])).contains("not sent"))
    }

    @Test func clicksSelectFocusAndSortWheelMoves() throws {
        var state = try Self.state()
        let frame = MonitorRenderer.render(state, width: 120, height: 36)
        state.remember(frame)
        let matched = try #require(frame.layout.first { $0.pane == .matched })
        _ = state.handle(.mouse(MousePress(kind: .click, row: matched.dataRows.lowerBound + 1, column: 3)))
        #expect(state.focus == .matched && state.selectedRecord?.pid == 813)
        let processes = try #require(frame.layout.first { $0.pane == .processes })
        let comm = try #require(processes.spans.first { $0.id == .comm })
        _ = state.handle(.mouse(MousePress(kind: .click, row: processes.headerRow, column: comm.columns.lowerBound)))
        #expect(state.focus == .processes && state.panes.processes.sort == .comm && !state.panes.processes.inverted)
        _ = state.handle(.mouse(MousePress(kind: .click, row: processes.headerRow, column: comm.columns.lowerBound)))
        #expect(state.panes.processes.inverted)
        state.panes.processes.selectedPID = nil
        _ = state.handle(.mouse(MousePress(kind: .wheelDown, row: 0, column: 0)))
        #expect(state.selectedIndex(in: .processes) == 1)
        _ = state.handle(.mouse(.wheelUp))
        #expect(state.selectedIndex(in: .processes) == 0)
    }

    @Test func ctrlZAsksTheLoopToSuspend() throws {
        var state = try Self.state()
        #expect(state.handle(.controlZ).suspend)
        #expect(Terminal.characterKey(26) == .controlZ)
        #expect(state.handle(.character("Z")) == .redraw && state.paused)
    }

    @Test func discoveredSaysWhenAProcessRunningBeforeTheMonitorStarted() throws {
        let state = try Self.state()
        let rows = MonitorFixture.screen(state).text.split(separator: "\n")
        let nginx = try #require(rows.last { $0.hasPrefix("812 ") })
        let python = try #require(rows.last { $0.hasPrefix("4242 ") })
        // nginx started two hours before "now", before the monitor: its start, marked.
        #expect(nginx.contains("~10:00:00 2h 0m"))
        // python started after the monitor: when it matched, unmarked.
        #expect(python.contains(" 11:58:40 1m 20s"))
        #expect(!python.contains("~"))
    }

    @Test func preferencesRoundTripThroughTheFile() throws {
        var state = try Self.state()
        _ = state.handle(.character("t"))
        _ = state.handle(.character(">"))
        _ = state.handle(.character("I"))
        _ = state.handle(.character("-"))
        state.panes.matched.hidden = [.ports]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-prefs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = PreferencesFile(environment: ["XDG_CONFIG_HOME": directory.path])
        #expect(file.path == directory.path + "/discotop/monitor.json")
        try file.save(MonitorPreferences(of: state))
        var fresh = try Self.state()
        try #require(try file.load()).apply(to: &fresh)
        #expect(fresh.tree && fresh.refreshMillis == 200)
        #expect(fresh.panes.processes.sort == state.panes.processes.sort && fresh.panes.processes.inverted)
        #expect(fresh.panes.matched.hidden == [.ports])
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.contains("\"refresh_millis\" : 200"))
        // A broken file is an error that names it, never a crash.
        try "{".write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(throws: PreferencesError.self) { try file.load() }
        #expect(try PreferencesFile(path: directory.path + "/none.json").load() == nil)
        #expect(PreferencesFile(environment: ["HOME": "/home/u"]).path == "/home/u/.config/discotop/monitor.json")
    }
}
