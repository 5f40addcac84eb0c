@testable import Engine
import Glibc
import Testing
@testable import App

/// The engine's published state is the one owner of the criteria the views show; the UI says
/// what it asked for until a state computed for it arrives (issue 11's stale mailbox).
@Suite struct CriteriaOwnershipTests {
    @Test func anOlderUpdateArrivingAfterNewCriteriaDoesNotRevertTheHeader() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("/"))
        _ = state.handle(.controlU)
        let asked = "9090".map { state.handle(.character($0)) }.compactMap(\.criteria).last
        _ = state.handle(.enter)
        #expect(asked?.topLevel.openPorts?.description == "9090")
        // The engine had published once more for the old criteria before it took the new ones.
        MonitorFixture.publish(&state) { _ in }
        let header = MonitorFixture.screen(state).line(0)
        #expect(header.contains("applying ports 9090…"), "\(header)")
        #expect(state.wantedCriteria.topLevel.openPorts?.description == "9090")
        // Opening the prompt again starts from what was asked, not from the stale state.
        _ = state.handle(.character("/"))
        #expect(state.prompt?.string == "9090")
        _ = state.handle(.escape)
        // The state computed for 9090 arrives: the header shows it, and nothing is pending.
        let matcher = Matcher(criteria: try #require(asked), selfPID: getpid())
        MonitorFixture.publish(&state) { engine in
            engine.criteria = asked!
            for p in engine.processes { engine.verdicts[p.identity] = matcher.verdict(for: p) }
        }
        let settled = MonitorFixture.screen(state)
        #expect(settled.line(0).contains("ports 9090") && !settled.line(0).contains("applying"), "\(settled.line(0))")
        #expect(settled.text.contains("Matched (1)"))
        #expect(state.requestedCriteria == nil)
    }

    /// Bind events stand out by the engine's verdict for their process, exclusions included,
    /// not by the port alone.
    @Test func bindEventsOfAnExcludedProcessDoNotStandOut() throws {
        var state = try MonitorFixture.state()
        let python = try #require(state.engine.processes.first { $0.pid == 200 })
        MonitorFixture.publish(&state) { engine in
            engine.verdicts[python.identity] = MatchVerdict(state: .excluded, selectors: ["no-python"], failure: "excluded")
        }
        let grid = MonitorFixture.screen(state)
        let okRow = try #require((0..<grid.height).first { grid.line($0).contains(" OK") })
        #expect(grid[okRow, 0].style == .normal, "\(grid.line(okRow))")
    }
}
