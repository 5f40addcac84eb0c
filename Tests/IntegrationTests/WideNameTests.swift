import Foundation
import Glibc
import Testing

/// A real process named in CJK (and one whose exe path is not UTF-8), seen through `list` and
/// through the monitor in a real terminal.
extension SystemTests {
    @Suite struct WideNameTests {
        /// Five CJK characters are 15 bytes of UTF-8: exactly what comm holds.
        static let name = "服务器监听"
        static let nameFlag = "name=" + name.utf8.map { String(format: "%02x", $0) }.joined()

        /// A line as the terminal's columns. Measured here, not with discotop's own width rule:
        /// CJK ideographs take two columns in every terminal, and nothing else on these screens
        /// is wider than one.
        static func columns(_ line: Substring) -> [Character] {
            line.flatMap { c -> [Character] in
                let wide = c.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) } ?? false
                return wide ? [c, "\0"] : [c]
            }
        }

        /// The text from `column` to the next blank.
        static func value(_ line: Substring, at column: Int) -> String {
            let cells = columns(line)
            guard column < cells.count else { return "" }
            return String(cells[column...].prefix { $0 != " " }.filter { $0 != "\0" })
        }

        /// Where `label` starts in a header line that is all ASCII.
        static func column(of label: String, in header: Substring) -> Int? {
            header.range(of: label).map { header.distance(from: header.startIndex, to: $0.lowerBound) }
        }

        @Test func listTextKeepsColumnsAlignedAfterACJKName() throws {
            let wideBase = TestPorts.free()
            let wide = try Helper(script: Scripts.listeners, arguments: [String(wideBase), Self.nameFlag])
            let plainBase = TestPorts.free()
            let plain = try Helper(script: Scripts.listeners, arguments: [String(plainBase)])
            let result = try run(Binaries.discotop, ["list"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            let header = try #require(lines.first)
            let comm = try #require(Self.column(of: "COMM", in: header))
            let ports = try #require(Self.column(of: "PORTS", in: header))
            let exe = try #require(Self.column(of: "EXE", in: header))
            let wideRow = try #require(lines.first { $0.hasPrefix("\(wide.pid) ") })
            let plainRow = try #require(lines.first { $0.hasPrefix("\(plain.pid) ") })
            #expect(Self.value(wideRow, at: comm) == Self.name, "\(wideRow)")
            #expect(Self.value(wideRow, at: ports).contains("127.0.0.1:\(wideBase)/tcp"), "\(header)\n\(wideRow)")
            #expect(Self.value(plainRow, at: ports).contains("127.0.0.1:\(plainBase)/tcp"), "\(header)\n\(plainRow)")
            #expect(Self.value(wideRow, at: exe).hasPrefix("/"), "\(header)\n\(wideRow)")
            #expect(Self.value(plainRow, at: exe).hasPrefix("/"), "\(header)\n\(plainRow)")
        }

        @Test func listJSONKeepsTheBytesOfAnExePathThatIsNotUTF8() throws {
            // A python3 whose file name ends in the byte 0xFF (Latin-1 ÿ), started through a
            // symlink: /proc/PID/exe names the file itself.
            let directory = NSTemporaryDirectory() + "discotop-exe-\(getpid())"
            let made = try run("/bin/sh", ["-c", "mkdir -p \(directory) && cp /usr/bin/python3 \"$(printf '\(directory)/py\\377')\" && ln -sf \"$(printf 'py\\377')\" \(directory)/python"])
            #expect(made.status == 0, "\(made.stderr)")
            defer { _ = try? run("/bin/rm", ["-rf", directory]) }
            let base = TestPorts.free()
            let helper = try Helper(program: directory + "/python", arguments: ["-c", Scripts.listeners, String(base)])
            let result = try run(Binaries.discotop, ["list", "--json", "-p", String(base)])
            let process = try #require(try ListOutput.decode(result.stdout).process(helper.pid))
            #expect(process.exe == directory + "/py\u{FFFD}")
            #expect(process.exe_bytes.flatMap { Data(base64Encoded: $0) } == Data(Array((directory + "/py").utf8) + [0xFF]))
            #expect(process.comm_bytes == nil)
        }

        /// The rows of one pane that show the process `pid` by its CJK name, each with the
        /// column header line above it.
        static func rows(_ screen: String, pane title: String, pid: String) -> [(header: Substring, row: Substring)] {
            var found: [(Substring, Substring)] = []
            var inPane = false
            var header: Substring = ""
            for line in screen.split(separator: "\n") {
                if line.contains(" (") && line.contains(" - ") { inPane = line.contains(title + " (") }
                if line.hasPrefix("TIME ") || line.hasPrefix("PID ") { header = line }
                if inPane, line.contains(name), line.hasPrefix(pid + " ") || line.contains(" \(pid) ") { found.append((header, line)) }
            }
            return found
        }

        /// Pages down the focused pane until `condition` holds. The monitor is paused, so the
        /// other tests' processes and binds on this shared machine cannot push ours out of view.
        static func page(_ tmux: TmuxSession, until condition: (String) -> Bool) -> (ok: Bool, screen: String) {
            for _ in 0..<100 {
                let screen = tmux.screen()
                if condition(screen) { return (true, screen) }
                tmux.send("NPage")
                usleep(80_000)
            }
            let screen = tmux.screen()
            return (condition(screen), screen)
        }

        /// The monitor at 100x30 under C.UTF-8: the name in every pane and in the inspect title,
        /// and the columns after it where their headers are.
        @Test func monitorShowsACJKNameWithItsColumnsAligned() throws {
            let base = TestPorts.free()
            let tmux = try TmuxSession(command: "\(Binaries.discotop) -p \(base)", width: 100, height: 30, environment: ["LANG": "C.UTF-8"])
            // The first scan is done, so the watcher is attached: binds from now on are events
            // (in poll mode there are none to look at).
            let started = tmux.wait { screen in
                let header = screen.split(separator: "\n").first ?? ""
                return header.contains("procs") && (header.contains("eBPF") || header.contains("poll")) && !header.contains("starting")
            }
            #expect(started.ok, "\(started.screen)")
            let watching = started.screen.split(separator: "\n").first?.contains("eBPF") == true
            // Started after that, so its binds show in Bind events under the new name.
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base), Self.nameFlag])
            let pid = String(helper.pid)
            // Matched holds only this process; once it shows there its events have arrived too.
            let matched = tmux.wait { !Self.rows($0, pane: "Matched", pid: pid).isEmpty }
            #expect(matched.ok, "\(matched.screen)")
            tmux.send("Z")
            // The header is cut off at 100 columns before its PAUSED; the key hints say it too.
            let paused = tmux.wait { $0.contains("Z Resume") }
            #expect(paused.ok, "\(paused.screen)")
            for (header, row) in Self.rows(paused.screen, pane: "Matched", pid: pid) {
                #expect(Self.value(row, at: try #require(Self.column(of: "COMM", in: header))) == Self.name, "\(header)\n\(row)")
                #expect(Self.value(row, at: try #require(Self.column(of: "DISCOVERED", in: header))).count == 8, "\(header)\n\(row)")
                #expect(Self.value(row, at: try #require(Self.column(of: "PORTS", in: header))).contains("127.0.0.1:\(base)/tcp"), "\(header)\n\(row)")
            }
            // Processes has the focus.
            let processes = Self.page(tmux) { !Self.rows($0, pane: "Processes", pid: pid).isEmpty }
            #expect(processes.ok, "\(processes.screen)")
            for (header, row) in Self.rows(processes.screen, pane: "Processes", pid: pid) {
                #expect(Self.value(row, at: try #require(Self.column(of: "COMM", in: header))) == Self.name, "\(header)\n\(row)")
                #expect(Self.value(row, at: try #require(Self.column(of: "PORTS", in: header))).contains("127.0.0.1:\(base)/tcp"), "\(header)\n\(row)")
                #expect(Self.value(row, at: try #require(Self.column(of: "EXE", in: header))).hasPrefix("/"), "\(header)\n\(row)")
            }
            tmux.send("BTab")
            #expect(tmux.wait { $0.contains(">  Bind events (") }.ok)
            let events = Self.page(tmux) { !watching || !Self.rows($0, pane: "Bind events", pid: pid).isEmpty }
            #expect(events.ok, "\(events.screen)")
            for (header, row) in Self.rows(events.screen, pane: "Bind events", pid: pid) {
                #expect(Self.value(row, at: try #require(Self.column(of: "COMM", in: header))) == Self.name, "\(header)\n\(row)")
                #expect(["tcp", "udp"].contains(Self.value(row, at: try #require(Self.column(of: "PROTO", in: header)))), "\(header)\n\(row)")
                #expect(["127.0.0.1", "::1"].contains(Self.value(row, at: try #require(Self.column(of: "ADDRESS", in: header)))), "\(header)\n\(row)")
                let port = UInt16(Self.value(row, at: try #require(Self.column(of: "PORT ", in: header))))
                #expect(port.map { (base...(base + 3)).contains($0) } == true, "\(header)\n\(row)")
            }
            // Inspect it from Matched, where it is the only row.
            tmux.send("Tab")
            usleep(100_000)
            tmux.send("Tab")
            #expect(tmux.wait { $0.contains(">  Matched (") }.ok)
            tmux.send("Enter")
            let inspect = tmux.wait { $0.contains("Inspect pid \(pid) (\(Self.name))") }
            #expect(inspect.ok, "\(inspect.screen)")
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
        }

        /// Where the locale is not UTF-8 the monitor writes ASCII only: the name as escapes.
        @Test func monitorUnderANonUTF8LocaleShowsEscapes() throws {
            let base = TestPorts.free()
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base), Self.nameFlag])
            let tmux = try TmuxSession(command: "\(Binaries.discotop) -p \(base)", width: 100, height: 30, environment: ["LANG": "C", "LC_ALL": "C"])
            let seen = tmux.wait { screen in screen.split(separator: "\n").contains { $0.hasPrefix("\(helper.pid) ") && $0.contains("\\u670d\\u52a1") } }
            #expect(seen.ok, "\(seen.screen)")
            #expect(!seen.screen.contains(Self.name))
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
        }
    }
}
