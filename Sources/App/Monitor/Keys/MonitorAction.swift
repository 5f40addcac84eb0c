/// What a key asks of the monitor, whichever key is bound to it: the key tables map keys to
/// these, and `MonitorState.perform` is the only place that knows what each one does.
enum MonitorAction: Equatable, Sendable {
    case quit
    case redraw
    case help
    /// Leaves the inspect view or the help.
    case back
    case editPorts
    case nextPane, previousPane
    case move(Movement)
    case sortNext, sortPrevious, invertSort
    case togglePause
    case faster, slower
    case inspect

    /// How far a movement key goes: in a pane it moves the selection, in help and inspect it scrolls.
    enum Movement: Equatable, Sendable {
        case up, down, pageUp, pageDown, top, bottom
    }
}
