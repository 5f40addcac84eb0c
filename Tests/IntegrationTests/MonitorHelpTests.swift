import Foundation
import Glibc
import Testing

/// The help at the smallest supported size, 80x24, through the real binary: it does not fit,
/// so it wraps at word boundaries and scrolls.
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
    struct MonitorHelpTests {
        static let width = 80
        /// Where descriptions start on a help line (after the key column).
        static let textColumn = 17

        /// The help's body lines (between its title and the footer) and the footer's
        /// "lines A-B of N".
        func help(_ screen: String) -> (body: [String], first: Int, last: Int, total: Int)? {
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard rows.count >= 24, rows[1].hasPrefix("> Help"),
                  let match = rows[23].firstMatch(of: /lines (\d+)-(\d+) of (\d+)/) else { return nil }
            return (Array(rows[3..<23]), Int(match.1)!, Int(match.2)!, Int(match.3)!)
        }

        @Test func helpWrapsAtWordBoundariesAndScrollsToItsLastLine() throws {
            // The mode is part of the help; --no-ebpf keeps its text the same from start to end.
            let tmux = try TmuxSession(command: "\(Binaries.discotop) --no-ebpf --poll-interval 1", width: Self.width, height: 24)
            #expect(tmux.wait { $0.contains("Processes (") && $0.contains("| poll 1s: --no-ebpf") }.ok, "\(tmux.screen())")
            tmux.send("?")
            let opened = tmux.wait { help($0) != nil }
            let top = try #require(help(opened.screen), "no scrollable help at 80x24: \(opened.screen)")
            #expect(top.first == 1 && top.total > top.last, "\(opened.screen)")
            // Down one line at a time: each step brings exactly the next line in at the bottom.
            var lines = top.body
            var shown = top
            while shown.last < shown.total {
                tmux.send("Down")
                let before = shown.last
                let moved = tmux.wait { help($0).map { $0.last == before + 1 } ?? false }
                shown = try #require(help(moved.screen), "\(moved.screen)")
                lines.append(shown.body.last ?? "")
            }
            #expect(lines.count == top.total)
            #expect(lines.last?.contains("Selectors: none") == true, "the last line: \(lines.last ?? "")")
            // A line is only broken where the next word would not have fitted. A continuation
            // starts where the text of the line above does (the description column, or the
            // indented note under "/").
            func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
            func textStart(_ line: String) -> Int {
                let characters = Array(line)
                let key = indent(line) < Self.textColumn && characters.count > Self.textColumn
                    && characters[Self.textColumn - 1] == " " && characters[Self.textColumn] != " "
                return key ? Self.textColumn : indent(line)
            }
            for (line, next) in zip(lines, lines.dropFirst()) where indent(next) >= Self.textColumn && indent(next) == textStart(line) {
                let fragment = line.dropFirst(textStart(line)).trimmingCharacters(in: .whitespaces)
                let word = next.split(separator: " ").first ?? ""
                #expect(fragment.count + 1 + word.count > Self.width - indent(next) - 1, "\"\(fragment)\" was broken before \"\(word)\"")
            }
            let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(text.contains("every bind, listen and close as the kernel reports it, newest first; bold when the process matches"), "\(text)")
            // Home goes back to the top, End to the last line again (the help is more than two pages).
            tmux.send("Home")
            let start = tmux.wait { screen in help(screen).map { $0.first == 1 } ?? false }
            #expect(start.ok, "\(start.screen)")
            tmux.send("End")
            let end = tmux.wait { screen in help(screen).map { $0.last == top.total } ?? false }
            #expect(end.ok, "\(end.screen)")
            // Any other key goes back; q quits.
            tmux.send("x")
            #expect(tmux.wait { $0.contains("Processes (") && !$0.contains("> Help") }.ok)
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
        }
    }
}
