import ArgumentParser
import Engine

struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "The live terminal monitor (what bare `discotop` starts).",
        discussion: "Three panes: Bind events, Processes and Matched. Keys: \(KeyTableMarkdown.summary). ? or F1 lists every key."
    )

    @OptionGroup var criteria: CriteriaOptions
    @OptionGroup var engine: EngineOptionGroup

    func run() throws {
        if let problem = TerminalType.problem() {
            Diagnostics.error(problem)
            throw ExitCode(1)
        }
        let app = MonitorApp(options: try engine.options(criteria: criteria))
        do {
            try app.run()
        } catch let error as TerminalError {
            Diagnostics.error("\(error)")
            throw ExitCode(1)
        }
    }
}
