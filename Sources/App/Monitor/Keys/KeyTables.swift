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

    static let wheel: [KeyBinding] = [
        KeyBinding(keys: [.mouse(.wheelUp)], action: .move(.up), help: "up one line"),
        KeyBinding(keys: [.mouse(.wheelDown)], action: .move(.down), help: "down one line"),
    ]

    /// The footer never drops the hint with this priority: `q Quit` always shows.
    static let quitPriority = 9

    static let quit = KeyBinding(
        keys: [.character("q"), .function(10), .controlC], action: .quit,
        help: "quit (SIGINT, SIGTERM and SIGHUP too; the terminal is always restored)")
    static let redraw = KeyBinding(keys: [.controlL], action: .redraw, help: "redraw the screen")
    static let suspend = KeyBinding(
        keys: [.controlZ], action: .suspend,
        help: "suspend to the shell with the terminal restored, as SIGTSTP does; fg brings the screen back")

    /// In the panes `k` is htop's kill, so the selection moves with the arrows (and `g`, `G`).
    static let paneMovement = movement.map { binding in
        KeyBinding(
            keys: binding.keys.filter { $0 != .character("k") && $0 != .character("j") }, action: binding.action,
            help: "move the selection \(binding.help) (it follows the pid when rows re-sort)")
    }

    /// The three panes.
    static let main = KeyTable(
        title: "Panes",
        bindings: [
            KeyBinding(
                keys: [.character("/")], action: .editPorts,
                help: "edit the port ranges (e.g. 8080,8000-8999) of the command-line selector; a config file's selectors stay as they are. "
                    + "Panes re-filter as you type whenever the text is valid; while it is not, the error shows next to the prompt and the last valid filter stays. "
                    + "Enter keeps, Esc restores; Backspace, Delete, Ctrl-U, Ctrl-W, Left/Right, Home/End (Ctrl-A/Ctrl-E) edit"),
            KeyBinding(
                keys: [.character("\\"), .function(4)], action: .editFilter,
                help: "filter (htop's): every pane keeps the rows whose pid, user, comm, exe or ports contain the text, ignoring case, "
                    + "as you type; the header shows it. Enter keeps it, Esc clears it"),
            KeyBinding(keys: [.escape], action: .clearFilter, help: "clear the filter"),
            KeyBinding(
                keys: [.function(3)], action: .search,
                help: "search the focused pane: the selection jumps to the next row containing the text as you type, F3 again to the one after. "
                    + "Enter or Esc closes the search"),
            KeyBinding(keys: [.tab], action: .nextPane, help: "focus the next pane"),
            KeyBinding(keys: [.backTab], action: .previousPane, help: "focus the previous pane"),
        ] + paneMovement + [
            KeyBinding(keys: [.character(">"), .character(".")], action: .sortNext, help: "sort by the next column"),
            KeyBinding(keys: [.character("<"), .character(",")], action: .sortPrevious, help: "sort by the previous column"),
            KeyBinding(keys: [.character("I")], action: .invertSort, help: "invert the sort order"),
            KeyBinding(keys: [.function(6)], action: .sortMenu, help: "choose the column to sort by from a menu"),
            KeyBinding(keys: [.character("]")], action: .growPane, help: "make the focused pane taller, by 5% of the screen from its neighbours"),
            KeyBinding(keys: [.character("[")], action: .shrinkPane, help: "make the focused pane shorter; the preferences keep the sizes"),
            KeyBinding(keys: [.function(2), .character("C")], action: .columnsMenu, help: "choose the columns the focused pane shows (PPID is one)"),
            KeyBinding(
                keys: [.function(5), .character("t")], action: .toggleTree,
                help: "tree view: each process under its parent (by ppid, among the rows shown), so pre-fork workers sit under their master; "
                    + "Matched says which rows only inherited their match"),
            KeyBinding(keys: [.character(" ")], action: .tag, help: "tag the selected process and move down (htop's tag); again to untag"),
            KeyBinding(keys: [.character("U")], action: .untagAll, help: "untag every process"),
            KeyBinding(
                keys: [.function(9), .character("k")], action: .signalMenu,
                help: "send a signal (TERM, KILL, HUP, INT, QUIT, USR1, USR2, STOP, CONT) to the tagged processes, or else the selected one, "
                    + "once you confirm with y; --readonly turns this off"),
            KeyBinding(
                keys: [.enter, .character("i")], action: .inspect,
                help: "inspect the selected process: exe, cmdline, user, parent chain, start time and age, cgroup and container id, network namespace, "
                    + "each listening socket (proto, address, port, fd, inode), whether and why it matched, and for each selector whether it holds "
                    + "or the first field that failed, language (Go with version and module, Java, Python, Node.js, Ruby, .NET, Rust, C/C++). "
                    + "It is read in the background; the view says reading meanwhile"),
            KeyBinding(
                keys: [.controlS], action: .export,
                help: "export: write the state (every process with its verdict, the document `discotop list --all --json` prints; as frozen while paused) "
                    + "to discotop-<host>-<UTC time>.json in the directory discotop started in, else in $XDG_STATE_HOME/discotop (~/.local/state/discotop); "
                    + "the status line says where, or why neither took it"),
            KeyBinding(keys: [.character("Z")], action: .togglePause, help: "freeze updates (htop's Z; the header says PAUSED); again to resume"),
            KeyBinding(keys: [.character("+"), .character("=")], action: .faster, help: "refresh faster (down to 100 ms: at most 10 frames a second)"),
            KeyBinding(keys: [.character("-"), .character("_")], action: .slower, help: "refresh slower (up to 10 s)"),
            KeyBinding(
                keys: [.mouse(.click)], action: .click,
                help: "on a row: select it and focus its pane; on a column title: sort by it, again to invert (--no-mouse leaves the mouse to the terminal)"),
        ] + wheel.map { KeyBinding(keys: $0.keys, action: $0.action, help: "move the selection \($0.help)") } + [
            redraw,
            KeyBinding(keys: [.function(1), .character("?"), .character("h")], action: .help, help: "this help, wrapped to the screen's width"),
            suspend,
            quit,
        ],
        footer: [
            FooterHint([.help], priority: 8, "Help"),
            FooterHint([.editPorts], priority: 7, "Ports"),
            FooterHint([.editFilter], priority: 7, "Filter"),
            FooterHint([.search], priority: 2, "Search"),
            FooterHint([.inspect], priority: 6, "Inspect"),
            FooterHint([.nextPane], priority: 5, "Pane"),
            FooterHint([.toggleTree], priority: 4) { $0.tree ? "List" : "Tree" },
            FooterHint([.sortPrevious, .sortNext], priority: 3, "Sort"),
            FooterHint([.invertSort], priority: 1, "Invert"),
            FooterHint([.signalMenu], priority: 4, "Kill"),
            FooterHint([.togglePause], priority: 4) { $0.paused ? "Resume" : "Pause" },
            FooterHint([.faster, .slower], priority: 2) { "Rate \($0.refreshMillis)ms" },
            FooterHint([.export], priority: 1, "Export"),
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ])

    /// The inspect view.
    static let inspect = KeyTable(
        title: "Inspect",
        bindings: [
            KeyBinding(keys: [.escape, .enter, .character("i"), .backspace, .character("h")], action: .back, help: "back to the panes"),
        ] + (movement + wheel).map { KeyBinding(keys: $0.keys, action: $0.action, help: "scroll \($0.help)") } + [redraw, suspend, quit],
        footer: [
            FooterHint([.back], priority: 8, "Back"),
            FooterHint([.move(.up), .move(.down)], priority: 5, "Scroll"),
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ])

    /// The help screen.
    static let help = KeyTable(
        title: "Help",
        bindings: (movement + wheel).map { KeyBinding(keys: $0.keys, action: $0.action, help: "scroll \($0.help)") } + [redraw, suspend, quit],
        footer: [
            FooterHint([.move(.up), .move(.down), .move(.pageUp), .move(.pageDown)], priority: 5, "Scroll"),
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ],
        otherKeys: OtherKeys(action: .back, help: "back to the panes", label: "Back"))

    /// A menu: sort (F6), columns (F2), signals (F9).
    static let menu = KeyTable(
        title: "Menus",
        bindings: [
            KeyBinding(
                keys: [.enter], action: .choose,
                help: "take the item: sort by that column, show or hide that column, or ask whether to send that signal"),
            KeyBinding(keys: [.escape, .backspace], action: .back, help: "close the menu"),
        ] + (movement + wheel).map { KeyBinding(keys: $0.keys, action: $0.action, help: "choose the item \($0.help)") } + [redraw, suspend, quit],
        footer: [
            FooterHint([.choose], priority: 8, "Choose"),
            FooterHint([.back], priority: 7, "Close"),
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ])

    /// The question before a signal is sent.
    static let confirm = KeyTable(
        title: "Signal confirmation",
        bindings: [
            KeyBinding(keys: [.character("y")], action: .confirm, help: "send the signal"),
            quit,
        ],
        footer: [
            FooterHint([.confirm], priority: 8, "Send"),
            FooterHint([.quit], priority: quitPriority, "Quit"),
        ],
        otherKeys: OtherKeys(action: .back, help: "cancel: nothing is sent", label: "Cancel"))

    static let all = [main, inspect, help, menu, confirm]
}
