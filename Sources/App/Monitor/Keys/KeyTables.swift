/// Every key of the monitor, screen by screen: the single definition that dispatch
/// (`MonitorState.handle`), the footer, the help screen and the README's key table read.
enum KeyTables {
    static let movement: [KeyBinding] = [
        KeyBinding(keys: [.up, .character("k")], action: .move(.up), help: "up one line"),
        KeyBinding(keys: [.down, .character("j")], action: .move(.down), help: "down one line"),
        KeyBinding(keys: [.pageUp], action: .move(.pageUp), help: "up one page"),
        KeyBinding(keys: [.pageDown], action: .move(.pageDown), help: "down one page"),
        KeyBinding(keys: [.home, .character("g")], action: .move(.top), help: "to the top"),
        KeyBinding(keys: [.end, .character("G")], action: .move(.bottom), help: "to the bottom"),
    ]

    /// The footer never drops the hint with this priority: `q Quit` always shows.
    static let quitPriority = 9

    static let quit = KeyBinding(
        keys: [.character("q"), .function(10), .controlC], action: .quit,
        help: "quit (SIGINT, SIGTERM and SIGHUP too; the terminal is always restored)")
    static let redraw = KeyBinding(keys: [.controlL], action: .redraw, help: "redraw the screen")

    /// The three panes.
    static let main = KeyTable(
        title: "Panes",
        bindings: [
            KeyBinding(
                keys: [.character("/")], action: .editPorts,
                help: "edit the port ranges (e.g. 8080,8000-8999) of the command-line selector; a config file's selectors stay as they are. "
                    + "Panes re-filter as you type whenever the text is valid; while it is not, the error shows next to the prompt and the last valid filter stays. "
                    + "Enter keeps, Esc restores; Backspace, Delete, Ctrl-U, Ctrl-W, Left/Right, Home/End (Ctrl-A/Ctrl-E) edit"),
            KeyBinding(keys: [.tab], action: .nextPane, help: "focus the next pane"),
            KeyBinding(keys: [.backTab], action: .previousPane, help: "focus the previous pane"),
        ] + movement.map { KeyBinding(keys: $0.keys, action: $0.action, help: "move the selection \($0.help) (it follows the pid when rows re-sort)") } + [
            KeyBinding(keys: [.character(">"), .character(".")], action: .sortNext, help: "sort by the next column"),
            KeyBinding(keys: [.character("<"), .character(",")], action: .sortPrevious, help: "sort by the previous column"),
            KeyBinding(keys: [.character("I")], action: .invertSort, help: "invert the sort order"),
            KeyBinding(
                keys: [.enter, .character("i")], action: .inspect,
                help: "inspect the selected process: exe, cmdline, user, parent chain, start time and age, cgroup and container id, network namespace, "
                    + "each listening socket (proto, address, port, fd, inode), whether and why it matched, and for each selector whether it holds "
                    + "or the first field that failed, language (Go with version and module, Java, Python, Node.js, Ruby, .NET, Rust, C/C++). "
                    + "It is read in the background; the view says reading meanwhile"),
            KeyBinding(keys: [.character(" ")], action: .togglePause, help: "pause updates (the header says PAUSED); again to resume"),
            KeyBinding(keys: [.character("+"), .character("=")], action: .faster, help: "refresh faster (down to 100 ms: at most 10 frames a second)"),
            KeyBinding(keys: [.character("-"), .character("_")], action: .slower, help: "refresh slower (up to 10 s)"),
            redraw,
            KeyBinding(keys: [.function(1), .character("?"), .character("h")], action: .help, help: "this help, wrapped to the screen's width"),
            quit,
        ],
        footer: [
            FooterHint([.help], priority: 8, "Help"),
            FooterHint([.editPorts], priority: 7, "Ports"),
            FooterHint([.nextPane], priority: 5, "Pane"),
            FooterHint([.inspect], priority: 6, "Inspect"),
            FooterHint([.sortPrevious, .sortNext], priority: 3, "Sort"),
            FooterHint([.invertSort], priority: 1, "Invert"),
            FooterHint([.togglePause], priority: 4) { $0.paused ? "Resume" : "Pause" },
            FooterHint([.faster, .slower], priority: 2) { "Rate \($0.refreshMillis)ms" },
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ])

    /// The inspect view.
    static let inspect = KeyTable(
        title: "Inspect",
        bindings: [
            KeyBinding(keys: [.escape, .enter, .character("i"), .backspace, .character("h")], action: .back, help: "back to the panes"),
        ] + movement.map { KeyBinding(keys: $0.keys, action: $0.action, help: "scroll \($0.help)") } + [redraw, quit],
        footer: [
            FooterHint([.back], priority: 8, "Back"),
            FooterHint([.move(.up), .move(.down)], priority: 5, "Scroll"),
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ])

    /// The help screen.
    static let help = KeyTable(
        title: "Help",
        bindings: movement.map { KeyBinding(keys: $0.keys, action: $0.action, help: "scroll \($0.help)") } + [redraw, quit],
        footer: [
            FooterHint([.move(.up), .move(.down), .move(.pageUp), .move(.pageDown)], priority: 5, "Scroll"),
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ],
        otherKeys: (.back, "back to the panes"))

    static let all = [main, inspect, help]
}
