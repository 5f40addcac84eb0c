import Foundation
import Glibc
import Testing

/// htop's keys in the real monitor, in tmux: the filter and the search, the tree, the mouse
/// and the signal menu. Each helper's ports are the criteria, so it shows in Matched however
/// many other processes the host runs (Processes may hold thousands).
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
    struct MonitorHtopTests {
        /// A helper with its four sockets, and its ports as the monitor's criteria.
        func helper(_ flags: String...) throws -> (Helper, ports: String) {
            let base = TestPorts.freeRange(count: 4)
            return (try Helper(script: Scripts.listeners, arguments: [String(base)] + flags), "\(base)-\(base + 3)")
        }

        /// The monitor with the helper in Matched.
        func start(_ helper: Helper, ports: String, options: String = "") throws -> TmuxSession {
            let tmux = try TmuxSession(command: "\(Binaries.discotop) --sweep-interval 2 --poll-interval 1 -p \(ports) \(options)")
            let seen = tmux.wait(timeout: 20) { MonitorScreen.row($0, pane: "Matched", pid: helper.pid) != nil }
            #expect(seen.ok, "\(seen.screen)")
            return tmux
        }

        func quit(_ tmux: TmuxSession) {
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok, "\(tmux.screen())")
        }

        func header(_ screen: String) -> String { MonitorScreen.lines(screen).first ?? "" }

        @Test func filterNarrowsEveryPaneAndSearchSelects() throws {
            let (helper, ports) = try helper()
            let tmux = try start(helper, ports: ports)
            let pid = String(helper.pid)
            tmux.send("F4")
            tmux.type(pid)
            let filtered = tmux.wait { header($0).contains("filter \"\(pid)\"") && MonitorScreen.row($0, pane: "Processes", pid: helper.pid) != nil }
            #expect(filtered.ok, "\(filtered.screen)")
            #expect(filtered.screen.contains("Filter: \(pid)   Enter keep, Esc clear"))
            tmux.send("Enter")
            usleep(100_000)
            // Text no row holds: every pane says so, Matched too.
            tmux.send("\\")
            tmux.send("C-u")
            tmux.type("no-such-process-anywhere")
            let none = tmux.wait { $0.contains("Matched (0)") && $0.contains("nothing here contains \"no-such-process-anywhere\"") }
            #expect(none.ok, "\(none.screen)")
            tmux.send("Escape")
            let cleared = tmux.wait { !header($0).contains("filter \"") && MonitorScreen.row($0, pane: "Matched", pid: helper.pid) != nil }
            #expect(cleared.ok, "\(cleared.screen)")
            // F3 and the helper's port, in Processes: the selection jumps to it, Enter inspects it.
            usleep(100_000)
            tmux.send("F3")
            tmux.type(":\(ports.prefix { $0 != "-" })/tcp")
            #expect(tmux.wait { $0.contains("Search: :") }.ok)
            tmux.send("Enter")
            usleep(100_000)
            tmux.send("Enter")
            let inspect = tmux.wait { $0.contains("Inspect pid \(pid) (python3)") }
            #expect(inspect.ok, "\(inspect.screen)")
            quit(tmux)
        }

        /// `--tree`: a forked worker (it shares its parent's listeners, as pre-fork servers do)
        /// under its parent, in Processes and in Matched; F5 goes back to the list.
        @Test func treeShowsTheWorkerUnderItsMaster() throws {
            let (helper, ports) = try helper("fork")
            let worker = try #require(helper.pids("children").first)
            let tmux = try start(helper, ports: ports, options: "--tree")
            let tree = tmux.wait { screen in
                guard let master = MonitorScreen.row(screen, pane: "Matched", pid: helper.pid),
                      let child = MonitorScreen.row(screen, pane: "Matched", pid: worker) else { return false }
                return child == master + 1 && MonitorScreen.lines(screen)[child].contains("`- python3")
            }
            #expect(tree.ok, "\(tree.screen)")
            #expect(tree.screen.contains("Matched (2) - tree, sort PID"), "\(tree.screen)")
            tmux.send("F5")
            let list = tmux.wait { !$0.contains("tree, sort") && MonitorScreen.rowText($0, pane: "Matched", pid: worker)?.contains("`-") == false }
            #expect(list.ok, "\(list.screen)")
            tmux.send("t")
            #expect(tmux.wait { $0.contains("Matched (2) - tree, sort PID") }.ok)
            quit(tmux)
        }

        /// A click on a row selects it and focuses its pane, on a column title sorts by it and
        /// again inverts; the wheel moves the selection. With --no-mouse clicks do nothing.
        @Test func mouseSelectsSortsAndScrolls() throws {
            let (helper, ports) = try helper("fork")
            let worker = try #require(helper.pids("children").first)
            let tmux = try start(helper, ports: ports)
            let shown = tmux.wait { MonitorScreen.row($0, pane: "Matched", pid: worker) != nil }
            let row = try #require(MonitorScreen.row(shown.screen, pane: "Matched", pid: worker), "\(shown.screen)")
            tmux.sendBytes(MonitorScreen.click(row: row, column: 1))
            #expect(tmux.wait { $0.contains(">  Matched (2)") }.ok, "\(tmux.screen())")
            tmux.send("Enter")
            #expect(tmux.wait { $0.contains("Inspect pid \(worker) ") }.ok, "\(tmux.screen())")
            tmux.send("Escape")
            usleep(100_000)
            // The wheel: up selects the master (the row above), down the worker again.
            tmux.sendBytes(MonitorScreen.mouse(button: 64, row: row, column: 1))
            usleep(200_000)
            tmux.send("Enter")
            #expect(tmux.wait { $0.contains("Inspect pid \(helper.pid) ") }.ok, "\(tmux.screen())")
            tmux.send("Escape")
            usleep(100_000)
            // The column titles: COMM sorts, again inverts.
            let screen = tmux.wait { $0.contains("Matched (2)") }.screen
            let title = try #require(MonitorScreen.titleRow(screen, pane: "Matched"))
            let titles = MonitorScreen.lines(screen)[title + 1]
            let comm = try #require(titles.range(of: "COMM"))
            let column = titles.distance(from: titles.startIndex, to: comm.lowerBound)
            tmux.sendBytes(MonitorScreen.click(row: title + 1, column: column))
            #expect(tmux.wait { $0.contains("Matched (2) - sort COMM") && !$0.contains("sort COMM desc") }.ok, "\(tmux.screen())")
            tmux.sendBytes(MonitorScreen.click(row: title + 1, column: column))
            #expect(tmux.wait { $0.contains("Matched (2) - sort COMM desc") }.ok, "\(tmux.screen())")
            quit(tmux)

            // On the way out the monitor turns mouse reports off again; with --no-mouse it never
            // asks for them, so the terminal keeps its own selection (tmux says what the pane asked).
            #expect(tmux.format("#{mouse_any_flag}") == "0")
            let plain = try start(helper, ports: ports, options: "--no-mouse")
            #expect(plain.format("#{mouse_any_flag}") == "0")
            quit(plain)
            let mouse = try start(helper, ports: ports)
            #expect(mouse.format("#{mouse_any_flag}") == "1")
            quit(mouse)
        }

        /// F9, Down to SIGKILL, Enter and y: the selected helper gets it and ends; any other
        /// key in place of y sends nothing. (SIGKILL: the helper inherits the test runner's
        /// blocked signals, SIGTERM among them.) With --readonly, k only says that signals are off.
        @Test func signalMenuSendsTheChosenSignalOnceConfirmed() throws {
            let (helper, ports) = try helper()
            let pid = String(helper.pid)
            let readonly = try start(helper, ports: ports, options: "--readonly")
            readonly.send("Tab")
            readonly.send("k")
            #expect(readonly.wait { $0.contains("signals are off: discotop runs --readonly") }.ok, "\(readonly.screen())")
            quit(readonly)

            let tmux = try start(helper, ports: ports)
            // Matched holds the helper alone, so it is the selected row.
            tmux.send("Tab")
            tmux.send("F9")
            let menu = tmux.wait { $0.contains("Send a signal to \(pid) python3") && $0.contains("SIGTERM") && $0.contains("SIGCONT") }
            #expect(menu.ok, "\(menu.screen)")
            tmux.send("Enter")
            #expect(tmux.wait { $0.contains("Send SIGTERM to this process?") }.ok, "\(tmux.screen())")
            tmux.send("n")
            #expect(tmux.wait { !$0.contains("Send SIGTERM") }.ok)
            #expect(helper.process.isRunning)
            tmux.send("k")
            tmux.send("Down")
            tmux.send("Enter")
            #expect(tmux.wait { $0.contains("Send SIGKILL to this process?") }.ok, "\(tmux.screen())")
            tmux.send("y")
            #expect(tmux.wait { $0.contains("sent SIGKILL to \(pid)") }.ok, "\(tmux.screen())")
            let deadline = Date().addingTimeInterval(5)
            while helper.process.isRunning, Date() < deadline { usleep(50_000) }
            #expect(!helper.process.isRunning)
            #expect(helper.process.terminationStatus == SIGKILL)
            quit(tmux)
        }
    }
}
