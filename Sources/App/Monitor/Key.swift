/// A key press, decoded from curses codes (see Terminal); handled by `MonitorState.handle`.
enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    case controlC, controlL, controlU, controlW, controlA, controlE
    case function(Int)
    case resize
}
