import ArgumentParser
import CLinux
import Glibc

@main
struct Discotop: ParsableCommand {
    /// Every command-line error exits with status 2 (as grep and ls do), whether the parser or
    /// discotop's own validation found it; ArgumentParser's default for its own is 64.
    static func main() {
        if RootHelp.isRequested(Array(CommandLine.arguments.dropFirst())) {
            print(RootHelp.text(), terminator: "")
            Glibc.exit(0)
        }
        do {
            var command = try parseAsRoot()
            // What parsing touched of the binary's code is not what the command runs: give it back
            // before the command's own memory grows (see discotop_release_startup_text).
            _ = discotop_release_startup_text()
            // The monitor draws on a terminal and owns its signals; every other command writes
            // for scripts and pipes.
            if !(command is MonitorCommand) { OutputStream.reportBrokenPipesAsErrors() }
            try command.run()
        } catch let failure as OutputFailure {
            failure.exit()
        } catch {
            let code = exitCode(for: error)
            let arguments = CommandLine.arguments.dropFirst()
            if code.rawValue == 64, let first = arguments.first,
               let message = CommandSuggestion.message(for: first, commands: commandNames) {
                Diagnostics.error(message)
                Glibc.exit(2)
            }
            if code.rawValue == 64 {
                Diagnostics.error(fullMessage(for: error))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "discotop",
        abstract: "Which processes listen on which ports, the moment they do it.",
        discussion: """
            Port ranges use Beyla's open_port grammar: comma-separated ports or ranges, \
            e.g. 8080,8000-8999. Exit status 2 means the command line was invalid.
            """,
        version: "discotop \(DiscotopVersion.string)",
        subcommands: [MonitorCommand.self, ListCommand.self, WatchCommand.self, ServeCommand.self, CheckConfigCommand.self, HooksCommand.self],
        defaultSubcommand: MonitorCommand.self
    )
}

extension Discotop {
    /// What may stand in the subcommand's place: the subcommands and ArgumentParser's `help`.
    static var commandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help"]
    }
}

enum DiscotopVersion {
    static let string = "0.1.0"
}
