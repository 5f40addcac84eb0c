import Foundation
import Glibc
import Testing

/// The small mistakes a new user makes first, each answered by discotop in its own words with
/// the status scripts expect: 2 for a bad command line or configuration, 1 for a terminal the
/// monitor cannot draw on.
@Suite final class SmallErrorTests {
    let directory = NSTemporaryDirectory() + "discotop-small-errors-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func config(_ text: String) throws -> String {
        let path = "\(directory)/beyla.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [("lst", "list"), ("lsit", "list"), ("wach", "watch"), ("chek-config", "check-config"), ("hook", "hooks")])
    func aMistypedSubcommandGetsASuggestion(typed: String, meant: String) throws {
        let result = try run(Binaries.discotop, [typed], timeout: 10)
        #expect(result.status == 2)
        #expect(result.stderr == "discotop: '\(typed)' is not a discotop command; did you mean \(meant)?\n", "\(result.stderr)")
    }

    @Test func aWordNothingLikeACommandListsTheCommands() throws {
        let result = try run(Binaries.discotop, ["8080"], timeout: 10)
        #expect(result.status == 2)
        #expect(result.stderr.contains("'8080' is not a discotop command (commands: monitor, list, watch, serve, check-config, hooks"), "\(result.stderr)")
    }

    /// A misplaced option is still ArgumentParser's to explain, not taken for a command.
    @Test func anUnknownOptionIsNotTakenForACommand() throws {
        let result = try run(Binaries.discotop, ["--lst"], timeout: 10)
        #expect(result.status == 2)
        #expect(!result.stderr.contains("is not a discotop command"), "\(result.stderr)")
    }

    @Test func anEmptyPortListIsAnErrorForTheMonitorToo() throws {
        let result = try run(Binaries.discotop, ["-p", ""], timeout: 10)
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid port range \"\": no ports given"), "\(result.stderr)")
    }

    /// ncurses' initscr would print "Error opening terminal: nosuchterm." and exit by itself;
    /// the check runs before curses starts, so the terminal keeps its modes and screen.
    @Test func anUnknownTermGetsDiscotopsOwnMessageAndAnUntouchedTerminal() throws {
        let tmux = try TmuxSession(command: "TERM=nosuchterm \(Binaries.discotop) --no-ebpf")
        let exited = tmux.wait { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(exited.screen.contains("EXIT=1"), "\(exited.screen)")
        #expect(exited.screen.contains("discotop: terminal type 'nosuchterm' (TERM) is not in the terminfo database"), "\(exited.screen)")
        #expect(!exited.screen.contains("Error opening terminal"), "\(exited.screen)")
        #expect(exited.screen.contains("icanon echo") || exited.screen.contains("echo icanon"), "\(exited.screen)")
        #expect(tmux.format("#{alternate_on}") == "0")
    }

    /// `dumb` is in terminfo, but without cursor addressing curses draws nothing legible.
    @Test func aTerminalThatCannotMoveTheCursorIsRefusedToo() throws {
        let tmux = try TmuxSession(command: "TERM=dumb \(Binaries.discotop) --no-ebpf")
        let exited = tmux.wait { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(exited.screen.contains("EXIT=1"), "\(exited.screen)")
        #expect(exited.screen.contains("discotop: terminal type 'dumb' (TERM) cannot move the cursor"), "\(exited.screen)")
    }

    @Test func checkConfigPrintsTheDurationsTheEngineUses() throws {
        let path = try config("discovery:\n  poll_interval: 250ms\n  min_process_age: 1m\n")
        let result = try run(Binaries.discotop, ["check-config", path], environment: [:], timeout: 10)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("poll_interval 0.25s, min_process_age 60s"), "\(result.stdout)")
    }

    /// The engine once clamped 1ms to 0.1 s while check-config printed 0.001s.
    @Test func anOutOfRangePollIntervalIsRejectedWhereverItComesFrom() throws {
        let path = try config("discovery:\n  poll_interval: 1ms\n")
        for arguments in [["check-config", path], ["list", "--config", path], ["watch", "--config", path]] {
            let result = try run(Binaries.discotop, arguments, environment: [:], timeout: 10)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr == "discotop: discovery.poll_interval in \(path) must be between 0.1 and 3600 seconds, not 0.001\n", "\(result.stderr)")
        }
        let fromEnvironment = try run(Binaries.discotop, ["check-config", path],
                                      environment: ["BEYLA_DISCOVERY_POLL_INTERVAL": "2h"], timeout: 10)
        #expect(fromEnvironment.status == 2)
        #expect(fromEnvironment.stderr.contains("BEYLA_DISCOVERY_POLL_INTERVAL must be between 0.1 and 3600 seconds, not 7200"), "\(fromEnvironment.stderr)")
        let fromCommandLine = try run(Binaries.discotop, ["watch", "--poll-interval", "0.01"], timeout: 10)
        #expect(fromCommandLine.status == 2)
        #expect(fromCommandLine.stderr == "discotop: --poll-interval must be between 0.1 and 3600 seconds, not 0.01\n", "\(fromCommandLine.stderr)")
    }

    /// The durations checked are the ones the engine will use: --poll-interval replaces the file's.
    @Test func theCommandLinesPollIntervalReplacesAnOutOfRangeOneInTheFile() throws {
        let path = try config("discovery:\n  poll_interval: 1ms\n")
        let result = try run(Binaries.discotop, ["watch", "--no-ebpf", "--poll-interval", "1", "--config", path],
                             environment: [:], timeout: 3)
        #expect(result.timedOut, "\(result.stderr)")
        #expect(!result.stderr.contains("must be between"), "\(result.stderr)")
    }

    /// Past Go's time.Duration the matcher's nanosecond count would not fit.
    @Test func aMinProcessAgeBeyondGoDurationsIsRejected() throws {
        let path = try config("discovery:\n  min_process_age: 100000000000h\n")
        let result = try run(Binaries.discotop, ["check-config", path], environment: [:], timeout: 10)
        #expect(result.status == 2)
        #expect(result.stderr.contains("discovery.min_process_age in \(path) must be between 0 and 9223372036 seconds"), "\(result.stderr)")
    }
}
