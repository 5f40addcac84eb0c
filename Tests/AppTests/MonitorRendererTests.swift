@testable import Engine
import Glibc
import Testing
@testable import App

@Suite struct MonitorRendererTests {
    @Test func mainScreenHasTheThreePanesHeaderAndKeys() throws {
        let grid = MonitorFixture.screen(try MonitorFixture.state())
        let text = grid.text
        for title in ["Bind events (2)", "Processes (3)", "Matched (1)"] { #expect(text.contains(title)) }
        #expect(grid.line(0).contains("eBPF: tracepoint+tp_btf"))
        #expect(grid.line(0).contains("ports 8080"))
        #expect(grid.line(0).contains("3 procs, 1 matched"))
        #expect(grid.line(35).contains("F1 Help") && grid.line(35).contains("q Quit"))
    }

    @Test func bindEventsOnMatchingPortsStandOutAndFailuresShowTheirError() throws {
        let grid = MonitorFixture.screen(try MonitorFixture.state())
        #expect(grid.text.contains("EADDRINUSE"))
        #expect(grid.style(of: "EADDRINUSE") == .error)
        let okRow = try #require((0..<grid.height).first { grid.line($0).contains(" OK") })
        #expect(grid[okRow, 0].style == .match)
    }

    @Test func processesPaneListsEveryProcessAndMatchedPaneOnlyMatches() throws {
        let grid = MonitorFixture.screen(try MonitorFixture.state())
        let lines = (0..<grid.height).map(grid.line)
        let processesTitle = try #require(lines.firstIndex { $0.contains("Processes (3)") })
        let matchedTitle = try #require(lines.firstIndex { $0.contains("Matched (1)") })
        let processRows = lines[(processesTitle + 2)..<matchedTitle].filter { !$0.isEmpty }
        #expect(processRows.map { $0.prefix(3) } == ["100", "200", "300"])
        let matchedRows = lines[(matchedTitle + 2)...].filter { $0.hasPrefix("200") }
        #expect(matchedRows.count == 1 && matchedRows[0].contains("open_ports 8080"))
    }

    @Test func promptShowsValidAndInvalidText() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("/"))
        for c in ",1a" { _ = state.handle(.character(c)) }
        let frame = MonitorRenderer.render(state, width: 120, height: 36)
        let bottom = frame.grid.line(35)
        #expect(bottom.hasPrefix("Ports: 8080,1a"))
        #expect(bottom.contains("invalid: \"1a\" is not a number (filter unchanged)"))
        #expect(frame.grid.style(of: "invalid:") == .error)
        #expect(frame.cursor?.row == 35 && frame.cursor?.column == "Ports: 8080,1a".count)
        _ = state.handle(.backspace)
        #expect(MonitorFixture.screen(state).line(35).contains("Enter keep, Esc cancel"))
    }

    @Test func inspectViewShowsTheProcess() throws {
        var state = try MonitorFixture.state()
        state.inspecting = InspectState(record: MonitorFixture.record(pid: 200, ports: [8080]), inspection: Inspection(pid: 200, title: "Inspect pid 200 (python3)", lines: [
            .init(label: "exe", value: "/usr/bin/python3"), .init(label: "language", value: "Python"),
        ]))
        let grid = MonitorFixture.screen(state)
        #expect(grid.line(1).contains("Inspect pid 200 (python3)"))
        #expect(grid.text.contains("exe         /usr/bin/python3"))
        #expect(grid.line(35).contains("Esc Back"))
        #expect(!grid.text.contains("Bind events"))
    }

    @Test func helpListsEveryKey() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("?"))
        #expect(MonitorFixture.screen(state).line(1).contains("Help"))
        let text = HelpView.lines(state, width: 120).map { $0.key + " " + $0.text }.joined(separator: "\n")
        for key in ["Tab", "Shift-Tab", "Enter i", "Space", "Ctrl-L", "q F10 Ctrl-C", "Ctrl-U, Ctrl-W"] { #expect(text.contains(key), "\(key)") }
    }

    /// A config file's selectors: counted in the header, named in Matched, listed in help,
    /// and each one's outcome in the inspect view.
    @Test func configSelectorsShowEverywhere() throws {
        var state = try MonitorFixture.state()
        var criteria = state.engine.criteria
        var web = Selector(origin: .file(section: "instrument", index: 0, line: 3), openPorts: try PortRanges(parsing: "8080"))
        web.name = "web"
        let java = Selector(origin: .file(section: "instrument", index: 1, line: 5), exePath: .glob(try Glob("*java")))
        criteria.selectors = [web, java]
        criteria.topLevel.openPorts = nil
        let matcher = Matcher(criteria: criteria, selfPID: getpid())
        state.baseCriteria = criteria
        let young = MonitorFixture.record(pid: 400, ports: [], comm: "worker", exe: "/usr/bin/worker")
        var waiting = MatchVerdict(state: .pending, selectors: ["web"], failure: "listens on nothing and is younger than min_process_age 5s")
        waiting.inheritedFrom = 200
        MonitorFixture.publish(&state) { engine in
            engine.criteria = criteria
            for p in engine.processes { engine.verdicts[p.identity] = matcher.verdict(for: p) }
            engine.processes.append(young)
            engine.verdicts[young.identity] = waiting
        }
        let grid = MonitorFixture.screen(state)
        #expect(grid.line(0).contains("ports any | +2 config selectors"))
        #expect(grid.text.contains("by web: open_ports 8080"))
        let pendingRow = try #require(grid.text.split(separator: "\n").last { $0.hasPrefix("400 ") })
        #expect(pendingRow.contains("pending, inherited from 200 (web)"))
        let waitingLines = Inspection.of(young, verdict: waiting, criteria: criteria).lines.map(\.value)
        #expect(waitingLines.contains("not yet: pending, inherited from 200 (web); listens on nothing and is younger than min_process_age 5s"))
        _ = state.handle(.character("?"))
        let help = HelpView.lines(state, width: 120).map(\.text).joined(separator: "\n")
        #expect(help.contains("Selectors (any may match, tried in order; / edits the ports of \"command line\"):"))
        #expect(help.contains("web: open_ports=8080"))
        #expect(help.contains("instrument[1]: exe_path=glob *java"))
        _ = state.handle(.escape)
        let record = try #require(state.engine.processes.first { $0.pid == 200 })
        let inspection = Inspection.of(record, verdict: state.engine.verdicts[record.identity], criteria: criteria)
        let lines = inspection.lines.map { "\($0.label): \($0.value)" }
        #expect(lines.contains("matched: yes, by web: open_ports 8080"))
        #expect(lines.contains("selector: web holds: open_ports 8080"))
        #expect(lines.contains("selector: instrument[1] fails: exe_path: /usr/bin/python3 does not match glob *java"))
        let sshd = try #require(state.engine.processes.first { $0.pid == 100 })
        let excluded = Inspection.of(sshd, verdict: state.engine.verdicts[sshd.identity], criteria: criteria).lines.map(\.value)
        #expect(excluded.contains("no: excluded by excluded_linux_system_paths: /usr/sbin/sshd is under /usr/sbin/"))
    }

    @Test(arguments: [(79, 24), (80, 23), (20, 5), (0, 0)])
    func tooSmallTerminalSaysSo(width: Int, height: Int) throws {
        let grid = MonitorFixture.screen(try MonitorFixture.state(), width: width, height: height)
        if width >= 40, height >= 2 { #expect(grid.text.contains("terminal too small: \(width)x\(height)")) }
        #expect(grid.width == width && grid.height == height)
    }

    @Test func everySizeFromTheMinimumUpRendersWithoutOverflow() throws {
        let state = try MonitorFixture.state()
        for (width, height) in [(80, 24), (81, 25), (132, 50), (300, 100)] {
            let grid = MonitorFixture.screen(state, width: width, height: height)
            #expect(grid.text.contains("Matched (1)"))
            #expect((0..<height).allSatisfy { grid.line($0).count <= width })
        }
    }

    @Test func hostileNamesNeverReachTheTerminalAsEscapes() throws {
        var state = try MonitorFixture.state()
        MonitorFixture.publish(&state) { $0.processes.append(MonitorFixture.record(pid: 400, ports: [1], comm: "\u{1B}[2J\u{1B}]0;pwn\u{07}", exe: "/tmp/\u{9B}x")) }
        let grid = MonitorFixture.screen(state)
        #expect(!grid.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } })
        #expect(grid.text.contains("\\x1b[2J"))
    }

    @Test func newRowsAreHighlightedAndVanishedRowsLingerDimmed() throws {
        var state = try MonitorFixture.state()
        var engine = state.engine
        let newcomer = MonitorFixture.record(pid: 500, ports: [5000], comm: "newcomer")
        let gone = engine.processes.removeFirst()
        engine.processes.append(newcomer)
        let now = WallClock.now()
        state.apply(EngineUpdate(events: MonitorFixture.timed(.deleted(gone), .created(newcomer)), state: engine), at: now)
        state.now = now
        state.panes.processes.selectedPID = 200
        var grid = MonitorFixture.screen(state)
        #expect(grid.style(of: "newcomer") == .fresh)
        #expect(grid.style(of: "(gone) /usr/sbin/sshd") == .tombstone)
        state.now = now + 4_000_000_000
        state.expire(at: state.now)
        grid = MonitorFixture.screen(state)
        #expect(grid.style(of: "newcomer") == .normal)
        #expect(!grid.text.contains("(gone)"))
    }

    @Test func aProcessThatStopsMatchingLingersDimmedInMatched() throws {
        var state = try MonitorFixture.state()
        var engine = state.engine
        let matched = try #require(engine.processes.first { engine.verdicts[$0.identity]?.matched == true })
        engine.verdicts[matched.identity] = MatchVerdict(state: .unmatched, failure: "open_ports: no listening port in 9999")
        let now = WallClock.now()
        state.apply(EngineUpdate(events: MonitorFixture.timed(.unmatched(matched, reason: "criteria changed")), state: engine), at: now)
        state.now = now
        state.focus = .events
        let grid = MonitorFixture.screen(state)
        #expect(grid.text.contains("Matched (1)"))
        #expect(grid.style(of: "(no longer matched) open_ports") == .tombstone)
        state.expire(at: now + 4_000_000_000)
        #expect(MonitorFixture.screen(state).text.contains("Matched (0)"))
    }
}
