import Foundation
import Glibc
import Testing

/// The monitor leaves the terminal as it found it, judged by the terminal itself: tmux's
/// `#{alternate_on}` on a pane that stays after the monitor ends.
extension SystemTests {
    @Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
    struct MonitorExitTests {
        /// Waits until the pane's process has ended (the pane is dead). Its exit status is not
        /// checked here: tmux 3.3 records it only when it reaps the process before it reads the
        /// end of the pty, so the shell-wrapped tests check the status instead.
        func waitDead(_ tmux: TmuxSession, timeout: Double = 10) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if tmux.format("#{pane_dead}") == "1" { return true }
                usleep(50_000)
            }
            return false
        }

        /// The reported case: a listener named with an OSC sequence, a resize to 80x24, then
        /// `?`, Esc and `q`. The name shows as text, never reaches the terminal (the pane's title
        /// would become "evil"), and the pane leaves the alternate screen.
        @Test func quitAfterHelpWithAnOSCNamedListenerLeavesTheAlternateScreen() throws {
            let base = TestPorts.free()
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "oscname"])
            let tmux = try TmuxSession(command: "\(Binaries.discotop) --sweep-interval 2 --poll-interval 1", alone: true)
            let pid = String(helper.pid)
            #expect(tmux.wait { $0.contains(#"\x1b]0;evil\x07"#) && $0.contains(pid) }.ok, "\(tmux.screen())")
            tmux.resize(width: 80, height: 24)
            #expect(tmux.wait { $0.contains("Processes (") && !$0.contains("too small") }.ok)
            tmux.send("?")
            #expect(tmux.wait { $0.contains("> Help") }.ok)
            tmux.send("Escape")
            usleep(100_000)
            tmux.send("q")
            #expect(waitDead(tmux))
            #expect(!tmux.alternateScreen, "\(tmux.screen())")
            #expect(tmux.format("#{pane_title}") != "evil")
        }

        /// tmux (3.3) closes the pty of a pane whose process it has reaped without reading what
        /// is still queued there. Stopping the tmux server makes that deterministic: the monitor
        /// redraws a screen full of listeners for a new size and is told to quit while the
        /// terminal reads nothing. The frame is more than tmux reads at once, and less than the
        /// pty holds (a larger one would block the monitor until tmux reads again). A monitor that exits as soon as it
        /// has written its exit sequence leaves the pane in the alternate screen; one that waits
        /// for the terminal to answer a request sent after it does not.
        @Test func exitWaitsUntilTheTerminalHasTakenTheExitSequence() throws {
            let (count, per) = (50, 12)
            let base = TestPorts.freeRange(count: count * per)
            let crowd = try Helper(script: Scripts.crowd, arguments: [String(base), String(count), String(per)])
            let ports = "\(base)-\(Int(base) + count * per - 1)"
            for round in 1...3 {
                let tmux = try TmuxSession(command: "\(Binaries.discotop) -p \(ports) --sweep-interval 2 --poll-interval 1", width: 80, height: 24, alone: true)
                #expect(tmux.wait { $0.contains("Matched (\(count))") }.ok, "round \(round): \(tmux.screen())")
                // Asked before the server stops: a stopped server answers no command.
                let tty = tmux.paneTTY
                kill(tmux.serverPID, SIGSTOP)
                // stty sets the size on the pty itself; the kernel sends the monitor SIGWINCH.
                let resized = try run("/usr/bin/stty", ["-F", tty, "rows", "40", "cols", "120"])
                usleep(400_000)
                kill(tmux.panePID, SIGTERM)
                usleep(300_000)
                kill(tmux.serverPID, SIGCONT)
                #expect(resized.status == 0, "\(resized.stderr)")
                #expect(waitDead(tmux), "round \(round)")
                #expect(!tmux.alternateScreen, "round \(round): the pane is still in the alternate screen")
            }
            _ = crowd
        }
    }
}
