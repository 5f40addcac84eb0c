/// A key press, decoded from curses codes (see Terminal); handled by `MonitorState.handle`.
enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    case controlC, controlL, controlS, controlU, controlW, controlA, controlE, controlZ
    case function(Int)
    case resize
    /// A mouse button or the wheel, with where it happened (see `MousePress`).
    case mouse(MousePress)
}

/// What the mouse did and where, in screen cells. Bindings name the kind only: a key table
/// binds `.mouse(.click)` and a click anywhere finds it (see `Key.binding`).
struct MousePress: Equatable, Sendable {
    enum Kind: Equatable, Sendable { case click, wheelUp, wheelDown }

    var kind: Kind
    var row = 0
    var column = 0

    static let click = MousePress(kind: .click)
    static let wheelUp = MousePress(kind: .wheelUp)
    static let wheelDown = MousePress(kind: .wheelDown)
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
        case .controlS: "Ctrl-S"
        case .controlU: "Ctrl-U"
        case .controlW: "Ctrl-W"
        case .controlA: "Ctrl-A"
        case .controlE: "Ctrl-E"
        case .controlZ: "Ctrl-Z"
        case .mouse(let press):
            switch press.kind {
            case .click: "click"
            case .wheelUp: "wheel up"
            case .wheelDown: "wheel down"
            }
        case .function(let n): "F\(n)"
        case .resize: "resize"
        }
    }
}

extension Key {
    /// The key as a table binds it: a mouse press without its position.
    var binding: Key {
        if case .mouse(let press) = self { return .mouse(MousePress(kind: press.kind)) }
        return self
    }
}
