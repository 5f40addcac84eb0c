import Foundation
@testable import Engine
import Testing
@testable import App

/// The key tables are the one definition of the monitor's keys: what dispatches is what the
/// footer, the help and the README say.
@Suite struct KeyTableTests {
    /// Every key a user might press, to find what dispatches.
    static let everyKey: [Key] = (32...126).compactMap { Unicode.Scalar($0).map { .character(Character($0)) } }
        + [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .tab, .backTab, .enter, .escape, .backspace, .delete,
           .controlC, .controlL, .controlS, .controlU, .controlW, .controlA, .controlE]
        + (1...12).map { .function($0) }

    @Test(arguments: KeyTables.all.map(\.title))
    func everyKeyThatDispatchesIsDocumentedInTheHelpAndTheREADME(table title: String) throws {
        let table = try #require(KeyTables.all.first { $0.title == title })
        let help = HelpView.entries().first { $0.title.contains(title) }
        let readme = try Self.readmeSection()
        for key in Self.everyKey where table.bindings.contains(where: { $0.keys.contains(key) }) {
            let binding = try #require(table.bindings.first { $0.keys.contains(key) })
            #expect(help?.rows.contains { $0.keys.split(separator: " ").contains(Substring(key.name)) && $0.text == binding.help } == true, "\(key.name) in help")
            #expect(readme.contains("`\(key.name)`"), "\(key.name) in the README")
        }
    }

    /// The keys that worked without a word anywhere (issue 11): now in the help of the panes.
    @Test func keysThatUsedToBeUndocumentedAreDocumented() throws {
        let names = Set(HelpView.entries().first { $0.title.contains("Panes") }!.rows.flatMap { $0.keys.split(separator: " ").map(String.init) })
        for name in ["h", ".", ",", "=", "_"] { #expect(names.contains(name), "\(name)") }
    }

    @Test func noKeyIsBoundTwiceOnOneScreen() {
        for table in KeyTables.all {
            let keys = table.bindings.flatMap(\.keys)
            #expect(Set(keys.map(\.name)).count == keys.count, "\(table.title)")
        }
    }

    /// Dispatch reads the table: each binding's keys do what the table says on its screen.
    @Test func dispatchFollowsTheTable() throws {
        let base = try MonitorFixture.state()
        for (table, open) in [(KeyTables.main, [Key]()), (KeyTables.inspect, [.enter]), (KeyTables.help, [.function(1)])] {
            for binding in table.bindings {
                for key in binding.keys {
                    var state = base
                    for opener in open { _ = state.handle(opener) }
                    #expect(state.keyTable.title == table.title)
                    #expect(state.keyTable.action(for: key) == binding.action, "\(table.title): \(key.name)")
                    if binding.action == .quit { #expect(state.handle(key).quit, "\(table.title): \(key.name)") }
                }
            }
        }
    }

    /// Footer hints name actions the screen binds, and show the keys bound to them.
    @Test func footerHintsAreBoundKeys() throws {
        for table in KeyTables.all {
            for hint in table.footer {
                for action in hint.actions { #expect(table.firstKey(of: action) != nil, "\(table.title): \(action)") }
            }
            #expect(table.footer.contains { $0.actions == [.quit] && $0.priority == KeyTables.quitPriority })
        }
        let grid = MonitorFixture.screen(try MonitorFixture.state())
        #expect(grid.line(35).hasPrefix("F1 Help  / Ports"))
    }

    static var readmeURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
    }

    static func readmeSection() throws -> String {
        let text = try String(contentsOf: readmeURL, encoding: .utf8)
        guard let begin = text.range(of: KeyTableMarkdown.begin), let end = text.range(of: KeyTableMarkdown.end) else { return "" }
        return String(text[begin.upperBound..<end.lowerBound]).trimmingCharacters(in: .newlines)
    }

    /// The README's key table is generated: `DISCOTOP_WRITE_README=1 swift test --filter
    /// readmeKeyTableIsGenerated` writes it anew after a change to the tables.
    @Test func readmeKeyTableIsGenerated() throws {
        let expected = KeyTableMarkdown.markdown
        if ProcessInfo.processInfo.environment["DISCOTOP_WRITE_README"] == "1" {
            var text = try String(contentsOf: Self.readmeURL, encoding: .utf8)
            let begin = try #require(text.range(of: KeyTableMarkdown.begin))
            let end = try #require(text.range(of: KeyTableMarkdown.end))
            text.replaceSubrange(begin.upperBound..<end.lowerBound, with: "\n" + expected + "\n")
            try text.write(to: Self.readmeURL, atomically: true, encoding: .utf8)
        }
        #expect(try Self.readmeSection() == expected, "run DISCOTOP_WRITE_README=1 swift test --filter readmeKeyTableIsGenerated")
    }
}
