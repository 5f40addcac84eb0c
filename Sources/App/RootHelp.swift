import ArgumentParser

/// `discotop --help` with what ArgumentParser's own leaves out. Bare `discotop` is the monitor,
/// but the root's help lists only the root's options; the monitor's (`-p`, `--config`, ...) are
/// taken from the monitor's own help, so the two never disagree. The man page needs neither:
/// generate-manual gives the monitor a section of its own.
enum RootHelp {
    /// `--help`, `-h` or `help` and nothing else: the root's help, not a subcommand's.
    static func isRequested(_ arguments: [String]) -> Bool {
        arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"]
    }

    static func text(columns: Int? = nil) -> String {
        var help = Discotop.helpMessage(columns: columns)
        if !help.hasSuffix("\n") { help += "\n" }
        let monitor = "MONITOR OPTIONS (bare `discotop`; see `discotop monitor --help`):\n"
            + monitorOptions(columns: columns) + "\n\n"
        if let subcommands = help.range(of: "SUBCOMMANDS:") {
            help.insert(contentsOf: monitor, at: subcommands.lowerBound)
        } else {
            help += "\n" + monitor
        }
        return help + "\n" + examples + "\n"
    }

    /// The option lines of the monitor's help, without ArgumentParser's own -h/--help.
    static func monitorOptions(columns: Int?) -> String {
        let lines = MonitorCommand.helpMessage(columns: columns).split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("OPTIONS:") }) else { return "" }
        var options: [Substring] = []
        var skipping = false
        for line in lines[(start + 1)...] {
            if line.isEmpty { break }
            let text = line.drop { $0 == " " }
            // An option's first line is indented two; its wrapped description, further.
            if line.count - text.count == 2, text.hasPrefix("-") { skipping = text.hasPrefix("-h, --help") }
            if !skipping { options.append(line) }
        }
        return options.joined(separator: "\n")
    }

    /// Kept within 78 columns: ArgumentParser's own lines fit the terminal, these cannot wrap.
    static let examples = """
        EXAMPLES:
          discotop                          the monitor, every listener
          discotop -p 8000-8999             the monitor, ports 8000 to 8999 matched
          discotop --config beyla.yml       the monitor, a Beyla/OBI file's selectors
          discotop list --json              the listeners once, as JSON
          discotop watch -p 443             binds, listens, closes, discoveries
          discotop check-config beyla.yml   what a configuration file selects
          discotop --generate-completion-script bash    (or zsh, fish) completions
        """
}
