import Foundation
@testable import Engine
import Testing
@testable import App

/// Every view of the fixed fixture at the four sizes people use, compared with the screens
/// committed under Golden/. `DISCOTOP_WRITE_GOLDEN=1 swift test --filter GoldenScreen` writes
/// them anew after a deliberate change; review the diff like code.
@Suite(.serialized) struct GoldenScreenTests {
    static let sizes = [(80, 24), (100, 30), (120, 36), (200, 50)]
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let writing = ProcessInfo.processInfo.environment["DISCOTOP_WRITE_GOLDEN"] == "1"

    static func screen(_ view: MonitorGoldenFixture.View, width: Int, height: Int) throws -> ScreenGrid {
        MonitorRenderer.render(try MonitorGoldenFixture.state(view), width: width, height: height).grid
    }

    @Test(arguments: MonitorGoldenFixture.View.allCases)
    func screenMatchesTheGoldenFile(view: MonitorGoldenFixture.View) throws {
        for (width, height) in Self.sizes {
            let text = try Self.screen(view, width: width, height: height).text + "\n"
            let file = Self.directory.appendingPathComponent("\(view.rawValue)-\(width)x\(height).txt")
            if Self.writing {
                try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let golden = try String(contentsOf: file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(lines, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(lines.count, expected.count)
            #expect(text == golden, """
                \(file.lastPathComponent) differs at line \(first + 1):
                  got      \(first < lines.count ? lines[first] : "(end)")
                  expected \(first < expected.count ? expected[first] : "(end)")
                """)
        }
    }

    /// Fixed text (titles, hints, help, menus) is never cut inside a word: a cut shows only
    /// where a word would run past its column or the screen's edge, and there must be none.
    @Test(arguments: MonitorGoldenFixture.View.allCases)
    func noFixedTextIsCutMidWord(view: MonitorGoldenFixture.View) throws {
        let state = try MonitorGoldenFixture.state(view)
        let vocabulary = FixedText.words(state)
        for (width, height) in Self.sizes {
            let grid = try Self.screen(view, width: width, height: height)
            for row in 0..<grid.height {
                for cut in FixedText.cutWords(in: grid, row: row) where !vocabulary.contains(cut.lowercased()) {
                    let whole = vocabulary.first { $0.hasPrefix(cut.lowercased()) }
                    #expect(whole == nil, "\(view.rawValue) \(width)x\(height) row \(row): \"\(cut)\" is cut from \"\(whole ?? "")\": \(grid.line(row))")
                }
            }
        }
    }
}

/// The words of the monitor's own text, and the words a screen shows cut off.
enum FixedText {
    static func words(_ state: MonitorState) -> Set<String> {
        var texts = [HelpView.title, MenuView.lines(state, state.menu ?? MenuState(purpose: .sort(.processes))).joined(separator: " ")]
        for table in KeyTables.all {
            texts += table.bindings.map(\.help) + table.footer.map { $0.label(state) }
            if let other = table.otherKeys { texts += [other.help, other.label] }
        }
        texts += HelpView.panes.flatMap { [$0.0, $0.1] }
        texts += Pane.allCases.map(\.title) + Pane.allCases.map { PaneView.emptyText(state, $0) }
        texts += PaneColumns.events.map(\.title) + PaneColumns.processes.map(\.title) + PaneColumns.matched.map(\.title)
        texts += ProcessSignal.allCases.flatMap { [$0.name, $0.meaning] }
        texts += [PromptState.Purpose.ports, .filter, .search].flatMap { [$0.label, $0.hint] }
        return Set(texts.flatMap(split).filter { $0.count >= 3 }.map { $0.lowercased() })
    }

    static func split(_ text: String) -> [String] {
        text.split { !$0.isLetter }.map(String.init)
    }

    /// Letter runs that end at a cut: right before `…`, or at the screen's last column.
    static func cutWords(in grid: ScreenGrid, row: Int) -> [String] {
        let cells = (0..<grid.width).map { grid[row, $0].character }
        var cuts: [String] = []
        var word = ""
        for (column, cell) in cells.enumerated() {
            if let scalar = cell.first, scalar.isLetter, cell.count == 1 {
                word.append(cell)
                if column == grid.width - 1, word.count >= 2 { cuts.append(word) }
                continue
            }
            if cell == "…", word.count >= 2 { cuts.append(word) }
            word = ""
        }
        return cuts
    }
}
