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
        // A line without a key continues the entry above it, except the indented note under
        // "/", which starts an entry of its own.
        var entries: [String] = []
        for line in lines where !line.text.isEmpty && line.style == .normal {
            if line.key.isEmpty, !entries.isEmpty, !line.text.hasPrefix("  ") || entries.last!.hasPrefix("  ") {
                entries[entries.count - 1] += " " + line.text.trimmingCharacters(in: .whitespaces)
            } else {
                entries.append(line.text)
            }
        }
        for (_, text) in HelpView.keys where !text.isEmpty { #expect(entries.contains(text), "\(text)") }
    }

    @Test func helpScrollsToItsLastLineAndBack() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("?"))
        func render() -> ScreenGrid {
            let frame = MonitorRenderer.render(state, width: 80, height: 24)
            state.helpShown = frame.help
            return frame.grid
        }
        let top = render()
        let viewport = try #require(state.helpShown)
        #expect(viewport.lastScroll > 0, "the help fits at 80x24; this test needs it not to")
        #expect(top.line(23).contains("lines 1-20 of \(viewport.total)"))
        let last = try #require(HelpView.lines(state, width: 80).last?.text)
        #expect(!top.text.contains(last))
        _ = state.handle(.pageDown)
        _ = state.handle(.pageDown)
        let bottom = render()
        #expect(bottom.text.contains(last))
        #expect(bottom.line(23).contains("of \(viewport.total)") && bottom.line(23).contains("-\(viewport.total) of"))
        _ = state.handle(.down)
        #expect(state.helpScroll == viewport.lastScroll, "scrolling stops at the last page")
        _ = state.handle(.up)
        _ = state.handle(.home)
        #expect(render().line(23).contains("lines 1-20"))
        _ = state.handle(.end)
        #expect(render().text.contains(last))
        _ = state.handle(.character("x"))
        #expect(!state.showingHelp)
        _ = state.handle(.character("?"))
        #expect(state.helpScroll == 0, "help opens at its top")
        #expect(state.handle(.character("q")).quit)
    }
}
