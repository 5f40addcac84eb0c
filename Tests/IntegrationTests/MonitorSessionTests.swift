import Foundation
import Glibc
import Testing

/// The monitor across a session, in tmux: Ctrl-Z and fg, preferences kept between runs, and
/// DISCOVERED for a process that was already running.
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
    struct MonitorSessionTests {
        static let monitor = "\(Binaries.discotop) --sweep-interval 2 --poll-interval 1"

        /// Ctrl-Z in an interactive shell: the shell reports the job stopped, the terminal is in
        /// its normal modes and out of the alternate screen; fg brings the screen back whole.
        @Test func ctrlZSuspendsAndFgResumes() throws {
            let tmux = try TmuxSession(command: "bash --norc --noprofile", environment: ["PS1": "'shell> '"])
            #expect(tmux.wait { $0.contains("shell> ") }.ok, "\(tmux.screen())")
            tmux.type("\(Self.monitor)")
            tmux.send("Enter")
            #expect(tmux.wait { $0.contains("Processes (") && $0.contains("q Quit") }.ok, "\(tmux.screen())")
            tmux.send("C-z")
            let stopped = tmux.wait { $0.contains("Stopped") && $0.split(separator: "\n").last?.hasPrefix("shell> ") == true }
            #expect(stopped.ok, "\(stopped.screen)")
            #expect(!tmux.alternateScreen)
            tmux.type("stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo MODES")
            tmux.send("Enter")
            let modes = tmux.wait { $0.contains("icanon echo MODES") }
            #expect(modes.ok, "the terminal is not back in its normal modes: \(modes.screen)")
            tmux.type("fg")
            tmux.send("Enter")
            let back = tmux.wait { $0.contains("Processes (") && $0.contains("q Quit") && !$0.contains("MODES") }
            #expect(back.ok, "\(back.screen)")
            #expect(tmux.alternateScreen)
            // Keys work again, and q still exits cleanly.
            tmux.send("F1")
            #expect(tmux.wait { $0.contains("> Help") }.ok, "\(tmux.screen())")
            tmux.send("q")
            let deadline = Date().addingTimeInterval(10)
            while tmux.alternateScreen, Date() < deadline { usleep(50_000) }
            tmux.type("echo EXIT=$?")
            tmux.send("Enter")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok, "\(tmux.screen())")
        }

        /// The sort and the tree view are written on q and come back in the next run; with
        /// --no-config they are neither read nor written.
        @Test func preferencesPersistUnlessNoConfig() throws {
            let config = "/tmp/discotop-prefs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            defer { try? FileManager.default.removeItem(atPath: config) }
            let file = config + "/discotop/monitor.json"
            let first = try TmuxSession(command: Self.monitor, environment: ["XDG_CONFIG_HOME": config])
            #expect(first.wait { $0.contains("> ") && $0.contains("Processes (") && $0.contains("sort PID") }.ok, "\(first.screen())")
            first.send(">")
            first.send("t")
            #expect(first.wait { $0.contains("Processes (") && $0.contains("tree, sort USER") }.ok, "\(first.screen())")
            first.send("q")
            #expect(first.wait { $0.contains("EXIT=0") }.ok)
            let saved = try String(contentsOfFile: file, encoding: .utf8)
            #expect(saved.contains("\"tree\" : true") && saved.contains("\"sort\" : \"user\""), "\(saved)")

            let second = try TmuxSession(command: Self.monitor, environment: ["XDG_CONFIG_HOME": config])
            #expect(second.wait { $0.contains("Processes (") && $0.contains("tree, sort USER") }.ok, "\(second.screen())")
            second.send("q")
            #expect(second.wait { $0.contains("EXIT=0") }.ok)

            let ignoring = try TmuxSession(command: "\(Self.monitor) --no-config", environment: ["XDG_CONFIG_HOME": config])
            #expect(ignoring.wait { $0.contains("Processes (") && $0.contains("- sort PID") }.ok, "\(ignoring.screen())")
            ignoring.send("I")
            #expect(ignoring.wait { $0.contains("sort PID desc") }.ok)
            ignoring.send("q")
            #expect(ignoring.wait { $0.contains("EXIT=0") }.ok)
            #expect(try String(contentsOfFile: file, encoding: .utf8) == saved, "--no-config wrote the preferences")
        }

        /// A process listening before the monitor starts shows when it started, marked `~`;
        /// one that starts later shows when it matched, unmarked.
        @Test func discoveredMarksProcessesRunningBeforeTheMonitor() throws {
            let base = TestPorts.freeRange(count: 8)
            let before = try Helper(script: Scripts.listeners, arguments: [String(base)])
            sleep(2)
            let tmux = try TmuxSession(command: "\(Self.monitor) -p \(base)-\(base + 7)")
            let early = tmux.wait(timeout: 20) { MonitorScreen.rowText($0, pane: "Matched", pid: before.pid) != nil }
            #expect(early.ok, "\(early.screen)")
            let after = try Helper(script: Scripts.listeners, arguments: [String(base + 4)])
            let both = tmux.wait(timeout: 20) { MonitorScreen.rowText($0, pane: "Matched", pid: after.pid) != nil }
            #expect(both.ok, "\(both.screen)")
            let header = try #require(MonitorScreen.titleRow(both.screen, pane: "Matched")).advanced(by: 1)
            let titles = MonitorScreen.lines(both.screen)[header]
            let column = titles.distance(from: titles.startIndex, to: try #require(titles.range(of: "DISCOVERED")).lowerBound)
            func discovered(_ pid: Int32) -> String? {
                MonitorScreen.rowText(both.screen, pane: "Matched", pid: pid).map { String($0.dropFirst(column).prefix { $0 != " " }) }
            }
            #expect(discovered(before.pid)?.hasPrefix("~") == true, "\(both.screen)")
            #expect(discovered(after.pid)?.hasPrefix("~") == false, "\(both.screen)")
            #expect(discovered(after.pid)?.count == 8, "\(both.screen)")
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
        }
    }
}
