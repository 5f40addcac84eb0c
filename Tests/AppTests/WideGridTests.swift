@testable import Engine
import Testing
@testable import App

/// Names that are not ASCII in the monitor's grid: drawn by display width, never half a
/// wide character, the columns after them where the header puts them.
@Suite struct WideGridTests {
    @Test func wideCharactersTakeTwoCellsAndCombiningMarksNone() {
        var grid = ScreenGrid(width: 12, height: 1)
        let end = grid.put("a服e\u{301}b", row: 0, column: 0)
        #expect(end == 5)
        #expect(grid[0, 1].character == "服" && grid[0, 2].isRightHalf)
        #expect(grid[0, 3].character == "e\u{301}")
        #expect(grid[0, 4].character == "b")
        #expect(grid.line(0) == "a服e\u{301}b")
    }

    @Test func clippingLeavesOutAWideCharacterThatDoesNotFitWhole() {
        var grid = ScreenGrid(width: 10, height: 1)
        let end = grid.put("ab服务", row: 0, column: 0, limit: 5)
        #expect(end == 4)
        #expect(grid.line(0) == "ab服")
        #expect(grid[0, 4].character == " ")
        // At the screen edge too.
        var edge = ScreenGrid(width: 3, height: 1)
        edge.put("a服务", row: 0, column: 0)
        #expect(edge.line(0) == "a服")
        edge.put("xy服", row: 0, column: 0)
        #expect(edge.line(0) == "xy" && !edge[0, 2].isRightHalf)
    }

    @Test func writingOverHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = ScreenGrid(width: 6, height: 1)
        grid.put("服务", row: 0, column: 0)
        grid.put("x", row: 0, column: 1)  // the right half of 服
        #expect(grid.line(0) == " x务")
        grid.put("y", row: 0, column: 2)  // the left half of 务
        #expect(grid.line(0) == " xy")
        #expect(grid.cells.allSatisfy { !$0.isRightHalf })
        grid.put("器", row: 0, column: 4)
        grid.fill(row: 0, column: 5, count: 1, style: .selected)
        #expect(grid.cells.allSatisfy { !$0.isRightHalf } && grid.line(0) == " xy")
    }

    @Test func asciiOnlyGridWritesEscapes() {
        var grid = ScreenGrid(width: 20, height: 1, asciiOnly: true)
        grid.put("服务x", row: 0, column: 0)
        #expect(grid.line(0) == "\\u670d\\u52a1x")
        #expect(grid.columns(of: "服") == 6)
    }

    /// Every pane keeps the columns after a CJK name where the header puts them.
    @Test func monitorColumnsStayAlignedAfterAWideName() throws {
        var state = try MonitorFixture.state()
        let wide = MonitorFixture.record(pid: 400, ports: [8080], comm: "服务器监听", exe: "/opt/服务/bin")
        MonitorFixture.publish(&state) { engine in
            engine.processes.append(wide)
            engine.verdicts[wide.identity] = Matcher(criteria: engine.criteria, selfPID: 0).verdict(for: wide)
        }
        var event = MonitorFixture.event(.bind, pid: 400, port: 8080)
        event.comm = "服务器监听"
        state.apply(EngineUpdate(events: MonitorFixture.timed(.kernel(event, relevant: true)), state: state.engine), at: WallClock.now())
        let grid = MonitorFixture.screen(state)
        let rows = (0..<grid.height).filter { grid.line($0).contains("服务器监听") }
        #expect(rows.count == 3, "\(grid.text)")  // Bind events, Processes, Matched
        for row in rows {
            let header = try #require((0..<row).last { grid.line($0).hasPrefix("PID") || grid.line($0).hasPrefix("TIME") })
            let name = grid.line(header).hasPrefix("TIME") ? "PORT" : "PORTS"
            let portsColumn = try #require(grid.column(of: name, row: header))
            #expect(grid.column(of: "8080", row: row) == portsColumn, "\(grid.line(header))\n\(grid.line(row))")
            #expect(grid.column(of: "服务器监听", row: row) == grid.column(of: "COMM", row: header))
        }
        state.inspecting = InspectState(record: wide, inspection: Inspection(pid: 400, title: "Inspect pid 400 (服务器监听)", lines: []))
        #expect(MonitorFixture.screen(state).line(1).contains("Inspect pid 400 (服务器监听)"))
    }
}
