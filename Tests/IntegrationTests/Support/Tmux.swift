import Foundation
import Glibc

/// A private tmux server with one fixed-size window, driven like a person would.
final class TmuxSession {
    let socket = "discotop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    /// Starts `command` in a shell; after it ends the pane prints its status and terminal mode
    /// (the flags curses changes: icanon echo icrnl ixon onlcr).
    /// With `alone`, the command is the pane's process itself (nothing runs after it) and the
    /// pane stays when it ends (remain-on-exit), as a terminal would show it.
    init(command: String, width: Int = 120, height: Int = 36, environment: [String: String] = [:], alone: Bool = false) throws {
        // NO_COLOR is decided by each test, never inherited from whoever runs the tests; so are
        // the monitor's saved preferences (a fresh, private config directory unless given).
        var environment = environment
        if environment["XDG_CONFIG_HOME"] == nil { environment["XDG_CONFIG_HOME"] = "/tmp/\(socket)-config" }
        let exports = "unset NO_COLOR; " + environment.map { "export \($0.key)=\($0.value); " }.joined()
        let after = "; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo|icrnl|ixon|onlcr)' | tr '\\n' ' '; echo; sleep 600"
        let script = alone ? "\(exports)exec \(command)" : "\(exports)\(command)\(after)"
        setenv("TERM", "xterm-256color", 1)
        let remain = alone ? [";", "set-option", "-t", "0", "remain-on-exit", "on"] : []
        guard tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", script] + remain).status == 0 else { throw HelperFailed() }
        serverPID = Int32(tmux(["display-message", "-p", "#{pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        panePID = Int32(tmux(["display-message", "-p", "#{pane_pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    private(set) var serverPID: Int32 = 0
    /// The shell, or with `alone` the command itself.
    private(set) var panePID: Int32 = 0

    /// A tmux format (`#{alternate_on}`, `#{pane_dead}`...) expanded for the pane.
    func format(_ text: String) -> String {
        tmux(["display-message", "-p", "-t", "0", text]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the pane shows the alternate screen: true while a curses program runs, and
    /// after it if it failed to leave it.
    var alternateScreen: Bool { format("#{alternate_on}") == "1" }

    /// The pane's terminal device (/dev/pts/N).
    var paneTTY: String { format("#{pane_tty}") }

    func send(_ keys: String...) {
        _ = tmux(["send-keys", "-t", "0"] + keys)
    }

    /// Types text literally (no key-name interpretation).
    func type(_ text: String) {
        _ = tmux(["send-keys", "-t", "0", "-l", text])
    }

    /// Sends raw bytes (send-keys -H): a mouse report holds bytes such as `;` that tmux would
    /// take for its own syntax in a literal argument.
    func sendBytes(_ text: String) {
        _ = tmux(["send-keys", "-t", "0", "-H"] + text.utf8.map { String($0, radix: 16) })
    }

    func resize(width: Int, height: Int) {
        _ = tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
    }

    func screen() -> String {
        tmux(["capture-pane", "-p", "-N", "-t", "0"]).output
    }

    /// The screen with its colour and attribute escape sequences.
    func screenWithAttributes() -> String {
        tmux(["capture-pane", "-p", "-e", "-N", "-t", "0"]).output
    }

    /// Runs tmux with posix_spawn and waitpid: Foundation's Process would wait for the tmux
    /// server it forks, which inherits a descriptor and lives on.
    private func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        let path = "/tmp/\(socket)-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/usr/bin/tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test runner's threads block most signals, and a spawned process inherits that
        // mask. A tmux server blocking SIGCHLD never sees its panes' processes exit the way
        // it does in a real terminal, and passes the mask on to them. Start it as a shell would.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ) == 0 else { return (-1, "") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let output = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xFF, output)
    }

    /// Waits until the screen satisfies `condition`; returns the screen it saw last.
    @discardableResult
    func wait(timeout: Double = 10, _ condition: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if condition(last) { return (true, last) }
            usleep(50_000)
        }
        return (false, last)
    }

    /// kill-server alone has been seen to leave a server (and its pane) running after a test,
    /// so both are also ended directly.
    deinit {
        _ = tmux(["kill-server"])
        _ = try? FileManager.default.removeItem(atPath: "/tmp/\(socket)-config")
        if panePID > 0 { kill(-panePID, SIGKILL) }
        if serverPID > 0 { kill(serverPID, SIGKILL) }
    }
}
