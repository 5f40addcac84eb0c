/// An open menu (htop's side panels, here a box over the panes): F6 sorts, F2 picks the
/// columns shown, F9 sends a signal after a confirmation. Up/Down choose, Enter takes.
struct MenuState: Equatable {
    enum Purpose: Equatable {
        case sort(Pane)
        case columns(Pane)
        case signal([ProcessTarget])
    }

    let purpose: Purpose
    var selected = 0
    /// The signal chosen, waiting for y: the menu shows the question instead of its items.
    var confirming: ProcessSignal?

    var title: String {
        switch purpose {
        case .sort(let pane): "Sort \(pane.title) by"
        case .columns(let pane): "Columns of \(pane.title)"
        case .signal(let targets):
            targets.count == 1 ? "Send a signal to \(targets[0].pid) \(targets[0].comm)" : "Send a signal to \(targets.count) tagged processes"
        }
    }

    mutating func move(_ movement: MonitorAction.Movement, count: Int) {
        guard count > 0 else { return }
        switch movement {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(count - 1, selected + 1)
        case .pageUp, .top: selected = 0
        case .pageDown, .bottom: selected = count - 1
        }
    }
}
