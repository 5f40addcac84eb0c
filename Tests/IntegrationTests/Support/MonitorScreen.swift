/// Reading a captured monitor screen: the rows of a pane and where a process's row is.
enum MonitorScreen {
    static func lines(_ screen: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The index of the pane's title line (`Processes (`), if it shows.
    static func titleRow(_ screen: String, pane: String) -> Int? {
        lines(screen).firstIndex { $0.contains(" \(pane) (") }
    }

    /// The screen row (0-based) of the first row in `pane` that starts with `pid`.
    static func row(_ screen: String, pane: String, pid: Int32) -> Int? {
        guard let title = titleRow(screen, pane: pane) else { return nil }
        let all = lines(screen)
        let next = all.indices.dropFirst(title + 1).first { index in ["Bind events (", "Processes (", "Matched ("].contains { all[index].contains(" \($0)") } }
        return all.indices[(title + 2)..<(next ?? all.count)].first { all[$0].hasPrefix("\(pid) ") }
    }

    /// The text of that row.
    static func rowText(_ screen: String, pane: String, pid: Int32) -> String? {
        row(screen, pane: pane, pid: pid).map { lines(screen)[$0] }
    }

    /// A mouse report as the pane's terminal (tmux-256color: kmous is `\E[M`) sends it to a
    /// program that asked for mouse mode 1000: `ESC [ M` and three bytes, 32 plus the button
    /// (0 button 1 pressed, 64 the wheel up, 65 down), the column and the row, both 1-based.
    static func mouse(button: Int, row: Int, column: Int) -> String {
        "\u{1B}[M" + String([button, column + 1, row + 1].map { Character(Unicode.Scalar(UInt8(32 + $0))) })
    }

    /// A click as a terminal reports it: the press, then the release (3), without which curses
    /// takes the next press for a drag.
    static func click(row: Int, column: Int) -> String {
        mouse(button: 0, row: row, column: column) + mouse(button: 3, row: row, column: column)
    }
}
