/// A key press, decoded from curses codes (see Terminal); handled by `MonitorState.handle`.
enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    case controlC, controlL, controlU, controlW, controlA, controlE
    case function(Int)
    case resize
}

extension Key {
    /// How the key is written in the footer, the help and the README: the one spelling of it.
    var name: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .controlC: "Ctrl-C"
        case .controlL: "Ctrl-L"
        case .controlU: "Ctrl-U"
        case .controlW: "Ctrl-W"
        case .controlA: "Ctrl-A"
        case .controlE: "Ctrl-E"
        case .function(let n): "F\(n)"
        case .resize: "resize"
        }
    }
}
