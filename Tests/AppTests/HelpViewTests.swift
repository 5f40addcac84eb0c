@testable import Engine
import Testing
@testable import App

@Suite struct HelpViewTests {
    @Test func wordWrapBreaksAtSpacesKeepsIndentAndSplitsOnlyOverlongWords() {
        #expect(WordWrap.lines("every bind, listen and close", width: 12) == ["every bind,", "listen and", "close"])
        #expect(WordWrap.lines("  Enter keeps, Esc restores", width: 13) == ["  Enter", "  keeps, Esc", "  restores"])
        #expect(WordWrap.lines("a 0123456789abc", width: 5) == ["a", "01234", "56789", "abc"])
        #expect(WordWrap.lines("", width: 10) == [""])
    }

    /// At 80 columns every description is whole (the one for Bind events used to end at "newest").
    @Test func helpAt80ColumnsWrapsEveryDescriptionWhole() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("?"))
        let lines = HelpView.lines(state, width: 80)
        #expect(lines.allSatisfy { ($0.style == .dim ? HelpView.keyColumn : HelpView.textColumn) + $0.text.count <= 79 })
        // A line with keys starts an entry (its text may start on the next line, when the keys
        // are wide); a line without continues the entry above it.
        var entries: [String] = []
        for line in lines where line.style == .normal {
            if !line.key.isEmpty {
                entries.append(line.text)
            } else if !line.text.isEmpty, !entries.isEmpty {
                entries[entries.count - 1] += (entries[entries.count - 1].isEmpty ? "" : " ") + line.text
            }
        }
        for row in HelpView.entries().flatMap(\.rows) { #expect(entries.contains(row.text), "\(row.text)") }
    }

    @Test func helpScrollsToItsLastLineAndBack() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("?"))
        func render() -> ScreenGrid {
            let frame = MonitorRenderer.render(state, width: 80, height: 24)
            state.remember(frame)
            return frame.grid
        }
        let top = render()
        let viewport = try #require(state.help?.shown)
        #expect(viewport.lastScroll > 0, "the help fits at 80x24; this test needs it not to")
        #expect(top.line(23).contains("lines 1-20 of \(viewport.total)"))
        let last = try #require(HelpView.lines(state, width: 80).last?.text)
        #expect(!top.text.contains(last))
        for _ in 0...(viewport.total / viewport.page) { _ = state.handle(.pageDown) }
        let bottom = render()
        #expect(bottom.text.contains(last))
        #expect(bottom.line(23).contains("of \(viewport.total)") && bottom.line(23).contains("-\(viewport.total) of"))
        _ = state.handle(.down)
        #expect(state.help?.top == viewport.lastScroll, "scrolling stops at the last page")
        _ = state.handle(.up)
        _ = state.handle(.home)
        #expect(render().line(23).contains("lines 1-20"))
        _ = state.handle(.end)
        #expect(render().text.contains(last))
        _ = state.handle(.character("x"))
        #expect(!state.showingHelp)
        _ = state.handle(.character("?"))
        #expect(state.help?.top == 0, "help opens at its top")
        #expect(state.handle(.character("q")).quit)
    }
}
