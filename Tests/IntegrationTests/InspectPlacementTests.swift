import Foundation
import Glibc
import Testing

/// Inspect says where a process runs: an `unshare -n` listener is in another network
/// namespace, not a "host process", even though its cgroup names no container.
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") && Binaries.isRoot, "needs tmux, and root for unshare"))
    struct InspectPlacementTests {
        @Test func anUnshareListenerIsMarkedAsInAnotherNetworkNamespace() throws {
            let base = TestPorts.free()
            let helper = try Helper(
                script: Scripts.listeners, arguments: [String(base), "wildcard"], prefix: ["/usr/bin/unshare", "--net"])
            let tmux = try TmuxSession(command: "\(Binaries.discotop) -p \(base) --sweep-interval 2 --poll-interval 1")
            let pid = String(helper.pid)
            // The first full scan finds it; on a loaded machine that can take a while.
            let matched = tmux.wait(timeout: 30) { screen in
                let all = screen.split(separator: "\n")
                guard let title = all.firstIndex(where: { $0.contains("Matched (") }) else { return false }
                return all[(title + 1)...].contains { $0.hasPrefix(pid + " ") }
            }
            #expect(matched.ok, "\(matched.screen)")
            // Keys 100 ms apart, as a person types.
            tmux.send("Tab")
            usleep(100_000)
            tmux.send("Enter")
            let inspect = tmux.wait { $0.contains("Inspect pid \(pid)") && $0.contains("container ") }
            #expect(inspect.ok, "\(inspect.screen)")
            let line = inspect.screen.split(separator: "\n").first { $0.contains("container ") } ?? ""
            #expect(line.contains("none (another network namespace"), "\(inspect.screen)")
            #expect(!inspect.screen.contains("host process"))
            tmux.send("q")
        }
    }
}
