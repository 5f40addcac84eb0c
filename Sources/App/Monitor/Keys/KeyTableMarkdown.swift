/// The key tables as the README shows them, and as `monitor --help` sums them up: generated,
/// so the documentation cannot drift from what the keys do (a test compares the README).
enum KeyTableMarkdown {
    static let begin = "<!-- key table: generated from Sources/App/Monitor/Keys/KeyTables.swift by KeyTableTests; do not edit -->"
    static let end = "<!-- end of key table -->"

    /// Every screen's keys as Markdown tables.
    static var markdown: String {
        KeyTables.all.map { table in
            var rows = table.bindings.map { ($0.keys.map { "`\($0.name)`" }.joined(separator: " "), $0.help) }
            if let other = table.otherKeys { rows.append(("any other key", other.help)) }
            let body = rows.map { "| \($0.0) | \($0.1.replacingOccurrences(of: "|", with: "\\|")) |" }
            return (["| Keys in \(table.title) | What they do |", "|---|---|"] + body).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// The footer of the panes in words: `F1 Help, / Ports, …, q Quit`.
    static var summary: String {
        let table = KeyTables.main
        // One state for every label: ArgumentParser builds this text at every start of every
        // command, and a state per footer hint was a fifteenth of `discotop --version`.
        let state = MonitorState()
        return table.footer.map { "\(table.keyText(of: $0)) \($0.label(state))" }.joined(separator: ", ")
    }
}
