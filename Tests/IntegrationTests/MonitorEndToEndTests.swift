import Foundation
import Glibc
import Testing

/// The real `discotop` monitor in a real terminal (tmux), as a person uses it.
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
    struct MonitorEndToEndTests {
        func lines(_ screen: String, after title: String) -> [Substring] {
            let all = screen.split(separator: "\n", omittingEmptySubsequences: false)
            guard let index = all.firstIndex(where: { $0.contains(title) }) else { return [] }
            return Array(all[(index + 1)...])
        }

        @Test func findFilterInspectResizeAndQuit() throws {
            let base = TestPorts.free()
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let tmux = try TmuxSession(command: "\(Binaries.discotop) --sweep-interval 2 --poll-interval 1")
            let pid = String(helper.pid)
            // The listener shows in Processes.
            let seen = tmux.wait { screen in
                lines(screen, after: "Processes (").prefix { !$0.contains("Matched (") }.contains { $0.hasPrefix(pid + " ") && $0.contains("\(base)/tcp") }
            }
            #expect(seen.ok, "\(seen.screen)")
            // "/" and the port: the process moves into Matched.
            tmux.send("/")
            tmux.send("C-u")
            tmux.type(String(base))
            tmux.send("Enter")
            let matched = tmux.wait { screen in lines(screen, after: "Matched (1)").contains { $0.hasPrefix(pid + " ") } }
            #expect(matched.ok, "\(matched.screen)")
            #expect(matched.screen.split(separator: "\n").first?.contains("ports \(base)") == true)
            // An invalid range shows its error while Matched keeps its rows.
            tmux.send("/")
            tmux.type(",1a")
            let invalid = tmux.wait { $0.contains("invalid: \"1a\" is not a number") }
            #expect(invalid.ok, "\(invalid.screen)")
            #expect(lines(invalid.screen, after: "Matched (1)").contains { $0.hasPrefix(pid + " ") })
            tmux.send("Escape")
            // Keys 100 ms apart, as a person types: Esc then Tab within curses' 25 ms escape
            // delay would read as one Alt-Tab.
            usleep(100_000)
            // Inspect the matched process: its exe path is there.
            tmux.send("Tab")
            usleep(100_000)
            tmux.send("Enter")
            let inspect = tmux.wait { $0.contains("Inspect pid \(pid) (python3)") && $0.contains("exe ") }
            #expect(inspect.ok, "\(inspect.screen)")
            #expect(inspect.screen.contains("python3"))
            #expect(inspect.screen.contains("language    Python"))
            tmux.send("Escape")
            usleep(100_000)
            // Resize below the minimum and back.
            tmux.resize(width: 70, height: 20)
            #expect(tmux.wait { $0.contains("terminal too small: 70x20") }.ok)
            tmux.resize(width: 100, height: 30)
            #expect(tmux.wait { $0.contains("Matched (1)") && !$0.contains("too small") }.ok)
            // q exits 0 and gives the terminal back (canonical mode and echo on again).
            tmux.send("q")
            let exited = tmux.wait { $0.contains("EXIT=") && $0.contains("icanon") }
            #expect(exited.screen.contains("EXIT=0"), "\(exited.screen)")
            #expect(exited.screen.contains("icanon echo") || exited.screen.contains("echo icanon"), "\(exited.screen)")
        }

        @Test func configSelectorsShowInHeaderMatchedPaneInspectAndHelp() throws {
            let probes = try Probes.built.get()
            let go = try Helper(program: probes.go, arguments: ["47391"])
            let pid = String(go.pid)
            let tmux = try TmuxSession(command: "\(Binaries.discotop) --config \(Probes.config("e2e.yml"))")
            let matched = tmux.wait { screen in lines(screen, after: "Matched (").contains { $0.hasPrefix(pid + " ") && $0.contains("by gopher") } }
            #expect(matched.ok, "\(matched.screen)")
            #expect(matched.screen.split(separator: "\n").first?.contains("+4 config selectors") == true, "\(matched.screen)")
            tmux.send("Tab")
            #expect(tmux.wait { $0.contains(">  Matched (1)") }.ok)
            tmux.send("Enter")
            // The read runs in the background: wait for its lines, not for "reading…".
            let inspect = tmux.wait { $0.contains("Inspect pid \(pid)") && $0.contains("selector    ") }
            #expect(inspect.ok, "\(inspect.screen)")
            #expect(inspect.screen.contains("selector    gopher holds: open_ports 47391; languages go"), "\(inspect.screen)")
            #expect(inspect.screen.contains("selector    web fails: open_ports: no listening port in 47392"), "\(inspect.screen)")
            #expect(inspect.screen.contains("selector    cee fails: exe_path:"), "\(inspect.screen)")
            tmux.send("Escape")
            usleep(100_000)
            tmux.send("?")
            usleep(100_000)
            // The selectors close the help, after every key.
            tmux.send("End")
            let help = tmux.wait { $0.contains("Selectors (any may match") }
            #expect(help.ok, "\(help.screen)")
            #expect(help.screen.contains("gopher: open_ports=47391 languages=glob go"))
            #expect(help.screen.contains("exclude exclude_instrument[0]: exe_path=glob *excluded-probe"))
            tmux.send("q")
            usleep(100_000)
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
        }

        @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
        func signalsExitCleanlyAndRestoreTheTerminal(signal: Int32) throws {
            let marker = "--sweep-interval \(Int.random(in: 100...9999))"
            let tmux = try TmuxSession(command: "\(Binaries.discotop) \(marker)")
            #expect(tmux.wait { $0.contains("Processes (") }.ok)
            let pids = try run("/usr/bin/pgrep", ["-f", "--", marker]).stdout.split(separator: "\n").compactMap { Int32($0) }
            let pid = try #require(pids.first { pid in
                (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("discotop") == true
            })
            kill(pid, signal)
            let exited = tmux.wait { $0.contains("EXIT=") && $0.contains("icanon") }
            #expect(exited.screen.contains("EXIT=0"), "\(exited.screen)")
            #expect(!tmux.alternateScreen)
            #expect(exited.screen.contains("icanon echo") || exited.screen.contains("echo icanon"), "\(exited.screen)")
        }

        @Test func noColorMeansAttributesOnly() throws {
            func parameters(_ screen: String) -> Set<Int> {
                var found = Set<Int>()
                var rest = Substring(screen)
                while let start = rest.range(of: "\u{1B}[") {
                    rest = rest[start.upperBound...]
                    let body = rest.prefix { $0.isNumber || $0 == ";" }
                    if rest.dropFirst(body.count).first == "m" { for p in body.split(separator: ";") { if let n = Int(p) { found.insert(n) } } }
                }
                return found
            }
            let colored = try TmuxSession(command: "\(Binaries.discotop)")
            #expect(colored.wait { $0.contains("Processes (") }.ok)
            #expect(!parameters(colored.screenWithAttributes()).isDisjoint(with: Set(30...38).union(40...48)), "colours by default")
            colored.send("q")
            let plain = try TmuxSession(command: "\(Binaries.discotop)", environment: ["NO_COLOR": "1"])
            #expect(plain.wait { $0.contains("Processes (") }.ok)
            let used = parameters(plain.screenWithAttributes())
            // 39 and 49 are "default colour" resets, which tmux emits for plain text.
            let colours = Set(30...38).union(40...48).union(90...97).union(100...107)
            #expect(used.isDisjoint(with: colours), "NO_COLOR used colours: \(used.sorted())")
            #expect(used.contains(7) || used.contains(1), "attributes still mark the header and selection")
            plain.send("q")
        }

        @Test func monitorWithoutATerminalSaysSoAndExits1() throws {
            let result = try run(Binaries.discotop, [])
            #expect(result.status == 1)
            #expect(result.stderr.contains("needs a terminal"))
        }
    }
}
