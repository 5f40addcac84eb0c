/// What a key asks of the monitor, whichever key is bound to it: the key tables map keys to
/// these, and `MonitorState.perform` is the only place that knows what each one does.
enum MonitorAction: Equatable, Sendable {
    case quit
    case redraw
    case help
    /// Leaves the inspect view, the help or a menu.
    case back
    case editPorts
    case editFilter, clearFilter
    case search
    case nextPane, previousPane
    case move(Movement)
    case sortNext, sortPrevious, invertSort
    case sortMenu, columnsMenu
    case toggleTree
    case tag, untagAll
    case signalMenu
    /// Takes the menu's selected item.
    case choose
    /// Answers yes to the menu's question.
    case confirm
    case togglePause
    case faster, slower
    case inspect
    /// A mouse click: the press carries where.
    case click
    case suspend
    /// Writes the engine's state as a `list --json` document (Ctrl-S).
    case export
    /// The focused pane a step taller or shorter.
    case growPane, shrinkPane

    /// How far a movement key goes: in a pane it moves the selection, in help and inspect it scrolls.
    enum Movement: Equatable, Sendable {
        case up, down, pageUp, pageDown, top, bottom
    }
}
