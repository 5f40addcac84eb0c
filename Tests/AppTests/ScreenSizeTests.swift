@testable import Engine
import Testing
@testable import App

/// Every view at the sizes people use: the header keeps what must never go, the footer fits
/// and always offers quit, and fixed text is never cut mid-word.
@Suite struct ScreenSizeTests {
    static let sizes = [(80, 24), (100, 30), (120, 36), (200, 50)]

    enum View: CaseIterable { case panes, help, inspect, reading }

    static func state(_ view: View) throws -> MonitorState {
        var state = try MonitorFixture.state()
        _ = state.handle(.character("Z"))
        let record = try #require(state.engine.processes.first { $0.pid == 200 })
        switch view {
        case .panes: break
        case .help: _ = state.handle(.function(1))
        case .inspect, .reading:
            state.panes.processes.selectedPID = 200
            _ = state.handle(.enter)
            if view == .inspect { state.deliver(Inspection.of(record, verdict: state.engine.verdicts[record.identity], criteria: state.engine.criteria)) }
        }
        return state
    }

    @Test(arguments: View.allCases)
    func everyViewFitsAtEverySize(view: View) throws {
        let state = try Self.state(view)
        for (width, height) in Self.sizes {
            let grid = MonitorFixture.screen(state, width: width, height: height)
            let header = grid.line(0)
            for segment in ["eBPF", "ports 8080", "3 procs, 1 matched", "lost 0", "PAUSED"] {
                #expect(header.contains(segment), "\(width)x\(height) \(view): \(header)")
            }
            let footer = grid.line(height - 1)
            #expect(footer.contains("q Quit"), "\(width)x\(height) \(view): \(footer)")
            // Every footer item whole, a key with its label: the narrow footer drops items, never cuts one.
            let frame = MonitorRenderer.render(state, width: width, height: height)
            let items = Footer.fit(Footer.items(state, table: state.keyTable, scroll: frame.scroll), width: width)
            #expect(items.map(Footer.width(of:)).reduce(0, +) <= width + 2)
            for item in items { #expect(footer.contains(item.key + " " + item.label), "\(width)x\(height) \(view): \(footer)") }
            #expect((0..<height).allSatisfy { DisplayWidth.of(grid.line($0)) <= width })
            if view == .reading { #expect(grid.text.contains("reading…")) }
        }
    }

    /// Help and inspect text wraps between words: every word of the help's entries shows whole
    /// on some line.
    @Test func helpAndInspectWrapBetweenWords() throws {
        for (width, _) in Self.sizes {
            let state = try Self.state(.inspect)
            let lines = InspectView.lines(try #require(state.inspecting?.inspection), width: width)
            #expect(lines.allSatisfy { InspectView.valueColumn + DisplayWidth.of($0.value) <= width - 1 })
            let help = HelpView.lines(state, width: width)
            let words = Set(help.flatMap { $0.text.split(separator: " ") })
            for row in HelpView.entries().flatMap(\.rows) {
                for word in row.text.split(separator: " ") { #expect(words.contains(word), "\(width): \(word)") }
            }
        }
    }
}
