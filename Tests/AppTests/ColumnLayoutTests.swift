@testable import Engine
import Testing
@testable import App

/// Columns sized from their content and priority, and cuts that say they are cuts.
@Suite struct ColumnLayoutTests {
    @Test func pathsKeepTheirBasenameAndCutsShowAnEllipsis() {
        #expect(Elision.middle.fit("/root/.pyenv/versions/3.11.4/bin/python3.11", columns: 18) == "/root/…/python3.11")
        #expect(Elision.end.fit("by command line: open_ports 8080", columns: 20) == "by command line: op…")
        #expect(Elision.items.fit("8080/tcp,8081/tcp,8082/tcp", columns: 20) == "8080/tcp,8081/tcp,…")
        #expect(Elision.middle.fit("/opt/app/bin/server", columns: 8) == "…/server")
        #expect(Elision.end.fit("short", columns: 20) == "short")
        // Display width, not characters: a wide character is never halved.
        let cut = Elision.end.fit("服务器监听", columns: 6)
        #expect(cut == "服务…" && DisplayWidth.of(cut) == 5)
    }

    @Test func lowPriorityColumnsShrinkThenDropFirst() {
        let policies: [WidthPolicy] = [.fixed(7, priority: 10), .content(minimum: 4, maximum: 12, priority: 4), .content(minimum: 12, priority: 5, elision: .middle)]
        #expect(ColumnLayout.widths(policies, content: [3, 8, 20], available: 80) == [7, 8, 63])
        #expect(ColumnLayout.widths(policies, content: [3, 8, 40], available: 30) == [7, 4, 17])
        #expect(ColumnLayout.widths(policies, content: [3, 8, 40], available: 20) == [7, nil, 12])
    }

    /// At 80 columns the exe keeps its basename and the ports cut between ports.
    @Test func processesPaneAt80ColumnsElidesPathsInTheMiddle() throws {
        var state = try MonitorFixture.state()
        let long = MonitorFixture.record(pid: 400, ports: Array(8000...8012), comm: "python3.11", exe: "/root/.pyenv/versions/3.11.4/bin/python3.11")
        MonitorFixture.publish(&state) { $0.processes.append(long) }
        let grid = MonitorFixture.screen(state, width: 80, height: 24)
        let row = try #require((0..<grid.height).map(grid.line).first { $0.hasPrefix("400 ") && $0.contains("python3.11") })
        #expect(row.hasSuffix("/python3.11") && row.contains("…"), "[\(row)]")
        #expect(row.contains("/tcp,…"), "\(row)")
    }
}
