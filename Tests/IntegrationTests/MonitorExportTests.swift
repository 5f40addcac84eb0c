import Foundation
import Glibc
import Testing

/// Ctrl-S and the pane sizes in the real monitor, in tmux: the export lands where the status
/// line says and is the `list --json` document (checked against docs/schema); an unwritable
/// place is said, not a crash; `]` makes the focused pane taller and the next run keeps it.
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
    struct MonitorExportTests {
        static let monitor = "\(Binaries.discotop) --sweep-interval 2 --poll-interval 1"

        static func temporaryDirectory(_ name: String) throws -> String {
            let path = "/tmp/discotop-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }

        /// The schema check `make test` runs on `list --json`, on this file.
        static func validate(_ file: String) -> (status: Int32, output: String) {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Schema/validate.py").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [script, "list", file]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            guard (try? process.run()) != nil else { return (-1, "cannot run python3") }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }

        @Test func ctrlSWritesTheListDocumentWhereTheStatusLineSays() throws {
            let base = TestPorts.freeRange(count: 4)
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let directory = try Self.temporaryDirectory("export")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let tmux = try TmuxSession(command: "cd \(directory) && \(Self.monitor) -p \(base)-\(base + 3)", width: 200, height: 50)
            #expect(tmux.wait(timeout: 20) { MonitorScreen.row($0, pane: "Matched", pid: helper.pid) != nil }.ok, "\(tmux.screen())")
            tmux.send("C-s")
            let said = tmux.wait(timeout: 20) { $0.contains("exported ") && $0.contains(" processes to \(directory)/discotop-") }
            #expect(said.ok, "\(said.screen)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(files.count == 1, "\(files)")
            let name = try #require(files.first)
            #expect(name.hasPrefix("discotop-") && name.hasSuffix("Z.json"), "\(name)")
            #expect(said.screen.contains(name), "\(said.screen)")
            let path = directory + "/" + name
            let checked = Self.validate(path)
            #expect(checked.status == 0, "\(checked.output)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            let processes = try #require(document["processes"] as? [[String: Any]])
            let mine = try #require(processes.first { ($0["pid"] as? Int) == Int(helper.pid) })
            #expect(mine["matched"] as? Bool == true, "\(mine)")
            #expect((document["criteria"] as? String)?.contains("\(base)") == true)
            // Every listener the monitor knew, the unmatched ones too, as `list --all --json`.
            #expect(processes.contains { $0["matched"] as? Bool == false } || processes.count == 1)
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
        }

        /// /proc takes no file even from root; the state directory below it cannot be made.
        @Test func anUnwritablePlaceIsSaidAndTheMonitorGoesOn() throws {
            // A listener of its own: a fresh machine may have none, and an empty state is no export.
            let base = TestPorts.freeRange(count: 4)
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let tmux = try TmuxSession(command: "cd /proc && \(Self.monitor)", width: 200, height: 50, environment: ["XDG_STATE_HOME": "/proc/none"])
            #expect(tmux.wait(timeout: 20) { MonitorScreen.row($0, pane: "Processes", pid: helper.pid) != nil && $0.contains("q Quit") }.ok, "\(tmux.screen())")
            tmux.send("C-s")
            let said = tmux.wait(timeout: 20) { $0.contains("cannot export: /proc: ") && $0.contains("; /proc/none/discotop") }
            #expect(said.ok, "\(said.screen)")
            tmux.send("F1")
            #expect(tmux.wait { $0.contains("> Help") }.ok, "\(tmux.screen())")
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok, "\(tmux.screen())")
        }

        /// `]` on Processes: Matched's title moves down; q writes the sizes and the next run
        /// starts with them.
        @Test func paneSizesChangeWithTheKeysAndPersist() throws {
            let config = try Self.temporaryDirectory("sizes")
            defer { try? FileManager.default.removeItem(atPath: config) }
            func matchedTitle(_ screen: String) -> Int? { MonitorScreen.titleRow(screen, pane: "Matched") }
            let first = try TmuxSession(command: Self.monitor, environment: ["XDG_CONFIG_HOME": config])
            let start = first.wait { $0.contains("Processes (") && matchedTitle($0) != nil }
            let before = try #require(matchedTitle(start.screen), "\(start.screen)")
            first.send("]")
            first.send("]")
            let grown = first.wait { matchedTitle($0).map { $0 > before } == true }
            #expect(grown.ok, "\(grown.screen)")
            let after = try #require(matchedTitle(grown.screen))
            first.send("q")
            #expect(first.wait { $0.contains("EXIT=0") }.ok)
            let saved = try String(contentsOfFile: config + "/discotop/monitor.json", encoding: .utf8)
            #expect(saved.contains("\"processes\" : 50"), "\(saved)")

            let second = try TmuxSession(command: Self.monitor, environment: ["XDG_CONFIG_HOME": config])
            let again = second.wait { $0.contains("Processes (") && matchedTitle($0) != nil }
            #expect(matchedTitle(again.screen) == after, "\(again.screen)")
            second.send("q")
            #expect(second.wait { $0.contains("EXIT=0") }.ok)
        }
    }
}
