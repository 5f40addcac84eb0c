import ArgumentParser
import Engine

struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "The live terminal monitor (what bare `discotop` starts).",
        discussion: """
            Three panes: Bind events, Processes and Matched. Keys: / edit port ranges, Tab switch pane, \
            arrows/j/k move, Enter or i inspect, < > sort, I invert, Space pause, + - refresh rate, \
            Ctrl-L redraw, ? or F1 help, q quit.
            """
    )

    @OptionGroup var criteria: CriteriaOptions
    @OptionGroup var engine: EngineOptionGroup

    func run() throws {
        let app = MonitorApp(options: try engine.options(criteria: criteria))
        do {
            try app.run()
        } catch let error as TerminalError {
            Diagnostics.error("\(error)")
            throw ExitCode(1)
        }
    }
}
