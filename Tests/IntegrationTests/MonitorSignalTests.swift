import Foundation
import Glibc
import Testing

/// Signals that end the monitor put the terminal back first, and still end it: the shell sees
/// the signal in the exit status (128 + its number), tmux is out of the alternate screen and
/// `stty` shows the modes curses had turned off.
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
    struct MonitorSignalTests {
        /// The monitor in a shell, leaving no core files in the working folder.
        func monitor() throws -> (TmuxSession, pid: Int32) {
            let tmux = try TmuxSession(command: "ulimit -c 0; \(Binaries.discotop) --sweep-interval 2 --poll-interval 1")
            #expect(tmux.wait { $0.contains("Processes (") }.ok, "\(tmux.screen())")
            let children = try run("/usr/bin/pgrep", ["-P", String(tmux.panePID), "discotop"]).stdout
            return (tmux, try #require(children.split(separator: "\n").compactMap { Int32($0) }.first))
        }

        func expectRestored(_ screen: String, _ comment: String) {
            let flags = screen.split(separator: "\n").last { $0.contains("icanon") }.map { Set($0.split(separator: " ").map(String.init)) } ?? []
            for flag in ["icanon", "echo", "icrnl", "ixon", "onlcr"] {
                #expect(flags.contains(flag), "\(comment): \(flag) is off: \(screen)")
            }
        }

        @Test(arguments: [SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGXCPU, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL])
        func fatalSignalRestoresTheTerminalAndStillEndsTheMonitor(signal: Int32) throws {
            let (tmux, pid) = try monitor()
            kill(pid, signal)
            let exited = tmux.wait(timeout: 20) { $0.contains("EXIT=") && $0.contains("icanon") }
            let name = String(cString: strsignal(signal))
            #expect(exited.screen.contains("EXIT=\(128 + signal)"), "\(name): \(exited.screen)")
            #expect(!tmux.alternateScreen, "\(name): the pane is still in the alternate screen")
            expectRestored(exited.screen, name)
        }

        /// Writes to the terminal never raise SIGPIPE; one that arrives anyway (a closed socket
        /// or pipe, or kill) is no reason to end the monitor.
        @Test func sigpipeIsIgnored() throws {
            let (tmux, pid) = try monitor()
            kill(pid, SIGPIPE)
            usleep(500_000)
            #expect(kill(pid, 0) == 0, "the monitor died of SIGPIPE")
            #expect(tmux.alternateScreen)
            tmux.send("q")
            let exited = tmux.wait { $0.contains("EXIT=") && $0.contains("icanon") }
            #expect(exited.screen.contains("EXIT=0"), "\(exited.screen)")
            #expect(!tmux.alternateScreen)
            expectRestored(exited.screen, "q after SIGPIPE")
        }
    }
}
