@testable import Engine
import Glibc
import Testing
@testable import App

@Suite struct MonitorKeyTests {
    func type(_ text: String, into state: inout MonitorState) -> [Reaction] {
        text.map { state.handle(.character($0)) }
    }

    @Test func promptReFiltersOnEveryValidTextAndKeepsTheLastValidOne() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("/"))
        _ = state.handle(.controlU)
        let reactions = type("9090,1a", into: &state)
        #expect(reactions.compactMap { $0.criteria?.topLevel.openPorts?.description } == ["9", "90", "909", "9090", "1,9090"])
        #expect(state.prompt?.error == "\"1a\" is not a number")
        #expect(state.handle(.enter).criteria == nil)
        #expect(state.prompt == nil)
    }

    @Test func escapeRestoresTheRangesThePromptOpenedWith() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("/"))
        _ = type("0", into: &state)
        let reaction = state.handle(.escape)
        #expect(reaction.criteria?.topLevel.openPorts?.description == "8080")
        #expect(state.prompt == nil)
    }

    @Test func blankPromptMeansNoPortFilter() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("/"))
        let reaction = state.handle(.controlU)
        #expect(reaction.criteria != nil && reaction.criteria?.topLevel.openPorts == nil)
    }

    @Test func lineEditingKeysWorkLikeAShell() {
        var prompt = PromptState(text: "80, 443 8080")
        _ = prompt.edit(.controlW)
        #expect(prompt.string == "80, 443 ")
        _ = prompt.edit(.home)
        _ = prompt.edit(.delete)
        #expect(prompt.string == "0, 443 ")
        _ = prompt.edit(.end)
        _ = prompt.edit(.left)
        _ = prompt.edit(.character("1"))
        #expect(prompt.string == "0, 4431 ")
        _ = prompt.edit(.controlU)
        #expect(prompt.string == " ")
        for _ in 0..<5 { _ = prompt.edit(.backspace); _ = prompt.edit(.left) }
        #expect(prompt.cursor == 0)
    }

    @Test func garbageKeysNeverBreakThePrompt() {
        var prompt = PromptState(text: "")
        for key: Key in [.character("\u{1B}"), .character("\u{7F}"), .character("\n"), .function(5), .pageUp, .character("é"), .character("🙂")] {
            _ = prompt.edit(key)
        }
        #expect(!prompt.string.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(prompt.error != nil)
    }

    /// A paste arrives as one key per character; the whole of it counts, not a prefix that
    /// would end mid-number (`...,8999,90` for `...,8999,9000`).
    @Test func aLongPastedListIsKeptWhole() throws {
        let ports = (1...300).map { String(8000 + $0 * 7) }
        let pasted = ports.joined(separator: ",")
        #expect(pasted.count > 1000)
        var prompt = PromptState(text: "")
        for character in pasted { _ = prompt.edit(.character(character)) }
        #expect(prompt.string == pasted)
        #expect(prompt.error == nil)
        #expect(prompt.parsed == .some(try PortRanges(parsing: pasted)))
        #expect(prompt.parsed??.contains(8000 + 300 * 7) == true)
    }

    @Test func cursorFollowsThePIDWhenRowsReSort() throws {
        var state = try MonitorFixture.state()
        state.focus = .processes
        _ = state.handle(.down)
        #expect(state.selectedRecord?.pid == 200)
        _ = state.handle(.character(">"))  // sort by USER: www-data's nginx moves last, root's stay first
        _ = state.handle(.character("I"))
        #expect(state.selectedRecord?.pid == 200)
        #expect(state.rows(for: .processes).map(\.record.pid) == [300, 200, 100])
    }

    @Test func tabCyclesPanesAndKeysMoveWithinBounds() throws {
        var state = try MonitorFixture.state()
        #expect(state.focus == .processes)
        _ = state.handle(.tab)
        #expect(state.focus == .matched)
        _ = state.handle(.tab)
        #expect(state.focus == .events)
        _ = state.handle(.backTab)
        #expect(state.focus == .matched)
        state.focus = .processes
        for key: Key in [.end, .pageDown, .down] { _ = state.handle(key) }
        #expect(state.selectedRecord?.pid == 300)
        for key: Key in [.home, .pageUp, .up] { _ = state.handle(key) }
        #expect(state.selectedRecord?.pid == 100)
    }

    @Test func pauseRateQuitAndRedraw() throws {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("Z"))
        #expect(state.paused)
        #expect(MonitorFixture.screen(state).line(0).contains("PAUSED"))
        #expect(state.handle(.character("-")).refreshChanged && state.refreshMillis == 200)
        _ = state.handle(.character("+"))
        _ = state.handle(.character("+"))
        #expect(state.refreshMillis == 100)
        #expect(state.handle(.controlL).fullRedraw)
        #expect(state.handle(.character("q")).quit)
        #expect(state.handle(.function(10)).quit)
        #expect(state.handle(.controlC).quit)
    }

    @Test func inspectOpensOnTheSelectedProcessAndEscapeGoesBack() throws {
        var state = try MonitorFixture.state()
        MonitorFixture.publish(&state) { $0.processes = [MonitorFixture.record(pid: getpid(), ports: [8080], comm: "self")] }
        state.panes.processes.selectedPID = getpid()
        let reaction = state.handle(.enter)
        #expect(state.inspecting?.pid == getpid())
        // The read is the run loop's to start, off the UI thread; until it delivers, the view says so.
        let record = try #require(reaction.inspect)
        #expect(state.inspecting?.inspection == nil)
        #expect(MonitorFixture.screen(state).text.contains("reading…"))
        state.deliver(Inspection.of(record, verdict: state.engine.verdicts[record.identity], criteria: state.engine.criteria))
        #expect(state.inspecting?.inspection?.lines.contains { $0.label == "cmdline" && !$0.value.isEmpty } == true)
        _ = state.handle(.escape)
        #expect(state.inspecting == nil)
    }

    @Test func cursesKeyCodesDecode() {
        #expect(Terminal.characterKey(27) == .escape)
        #expect(Terminal.characterKey(127) == .backspace)
        #expect(Terminal.characterKey(21) == .controlU)
        #expect(Terminal.characterKey(0x41) == .character("A"))
        #expect(Terminal.characterKey(2) == nil)
    }
}
