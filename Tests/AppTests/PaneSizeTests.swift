import Foundation
@testable import Engine
import Glibc
import Testing
@testable import App

/// `]` and `[` resize the focused pane; the layout keeps every pane usable; the preferences
/// keep the sizes, and a file written before sizes existed still loads.
@Suite struct PaneSizeTests {
    /// Where each pane's title is on the screen, top to bottom.
    static func titleRows(_ grid: ScreenGrid) -> [Int] {
        (0..<grid.height).filter { row in ["Bind events (", "Processes (", "Matched ("].contains { grid.line(row).contains($0) } }
    }

    @Test func defaultsAreTheLayoutTheGoldenScreensShow() {
        for total in [22, 28, 34, 48] {
            let heights = PaneShares().heights(total: total)
            #expect(heights.map(\.1) == [max(5, total * 3 / 10), total - 2 * max(5, total * 3 / 10), max(5, total * 3 / 10)])
        }
    }

    @Test func growAndShrinkTheFocusedPaneAndStopAtTheMinimum() throws {
        var state = try MonitorFixture.state()
        #expect(Self.titleRows(MonitorFixture.screen(state)) == [1, 11, 25])
        _ = state.handle(.character("]"))
        #expect(state.paneShares.processes == 45)
        #expect(state.paneShares.events + state.paneShares.matched == 55)
        let grown = Self.titleRows(MonitorFixture.screen(state))
        #expect(grown[2] - grown[1] > 14, "\(grown)")
        _ = state.handle(.tab)
        for _ in 0..<20 { _ = state.handle(.character("[")) }
        #expect(state.paneShares.matched == PaneShares.minimum)
        #expect(state.currentNotice == "Matched is as short as it goes")
        for _ in 0..<20 { _ = state.handle(.character("]")) }
        // Matched grows out of Processes, down to its minimum; Bind events keeps its share.
        #expect(state.paneShares.matched == 60 && state.paneShares.processes == PaneShares.minimum && state.paneShares.events == 30)
        // Every pane keeps its title, column titles and rows, even at 80x24.
        for (width, height) in [(80, 24), (120, 36)] {
            let rows = Self.titleRows(MonitorFixture.screen(state, width: width, height: height))
            #expect(rows.count == 3)
            #expect(zip(rows, rows.dropFirst()).allSatisfy { $1 - $0 >= PaneShares.minimumRows }, "\(rows)")
        }
    }

    @Test func sizesPersistAndABadOrMissingOneIsLeftAtTheDefault() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.backTab)
        _ = state.handle(.character("]"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-sizes-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = PreferencesFile(environment: ["XDG_CONFIG_HOME": directory.path])
        try file.save(MonitorPreferences(of: state))
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.contains("\"pane_heights\""), "\(text)")
        var fresh = try MonitorFixture.state()
        try #require(try file.load()).apply(to: &fresh)
        #expect(fresh.paneShares == state.paneShares && fresh.paneShares.events == 35)

        for bad in [#"{"events": 5, "processes": 65, "matched": 30}"#, #"{"events": 50, "processes": 50, "matched": 50}"#] {
            let edited = text.replacingOccurrences(of: try #require(text.range(of: #"\{[^{}]*"events"[^{}]*\}"#, options: .regularExpression)).map { String(text[$0]) } ?? "", with: bad)
            try edited.write(toFile: file.path, atomically: true, encoding: .utf8)
            var other = try MonitorFixture.state()
            try #require(try file.load()).apply(to: &other)
            #expect(other.paneShares == PaneShares(), "\(edited)")
        }
        // A file from before the sizes: everything else still applies.
        try #"{"tree": true, "refresh_millis": 400, "panes": {}}"#.write(toFile: file.path, atomically: true, encoding: .utf8)
        var old = try MonitorFixture.state()
        try #require(try file.load()).apply(to: &old)
        #expect(old.tree && old.refreshMillis == 400 && old.paneShares == PaneShares())
    }
}
