import ArgumentParser
import Engine

struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "The live terminal monitor (what bare `discotop` starts).",
        discussion: "Three panes: Bind events, Processes and Matched. With --connect (once or more), the state of discotop serve agents, merged with a NODE column when there are several. Keys: \(KeyTableMarkdown.summary). ? or F1 lists every key."
    )

    @OptionGroup var criteria: CriteriaOptions
    @OptionGroup var engine: EngineOptionGroup

    @Flag(name: .customLong("tree"), help: "Start in the tree view (F5 or t toggles it).")
    var tree = false

    @Flag(name: .customLong("no-mouse"), help: "Do not take the mouse: the terminal keeps its own selection and scrolling.")
    var noMouse = false

    @Flag(name: .customLong("readonly"), help: "Never send signals: the signal menu (F9, k) is off.")
    var readonly = false

    @OptionGroup var connect: ConnectOptions

    @Flag(name: .customLong("no-config"), help: "Neither read nor write the monitor's preferences ($XDG_CONFIG_HOME/discotop/monitor.json).")
    var noConfig = false

    func run() throws {
        if let problem = TerminalType.problem() {
            Diagnostics.error(problem)
            throw ExitCode(1)
        }
        let monitor = MonitorOptions(tree: tree, mouse: !noMouse, readonly: readonly, preferences: noConfig ? nil : PreferencesFile())
        let app: MonitorApp
        if connect.isRemote {
            // Criteria given here re-filter what the agents send, as the prompt does.
            let criteria = try criteria.resolved(pollInterval: nil, reportWarnings: true).criteria
            app = MonitorApp(source: RemoteSource(clients: try connect.clients(), criteria: criteria), criteria: criteria, monitor: monitor)
        } else {
            app = MonitorApp(options: try engine.options(criteria: criteria), monitor: monitor)
        }
        do {
            try app.run()
        } catch let error as TerminalError {
            Diagnostics.error("\(error)")
            throw ExitCode(1)
        }
    }
}
