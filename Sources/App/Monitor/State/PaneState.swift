import Engine

/// What one pane remembers of its own: where its cursor is, how it sorts, how tall it was
/// drawn, and the rows that just left it.
struct PaneState {
    /// The cursor follows a pid, not a row index, so re-sorting never moves it to another process.
    var selectedPID: Int32?
    /// The Bind events pane's cursor: events have no identity to follow, only their place.
    var selectedRow = 0
    var sort: ColumnID = .pid
    var inverted = false
    /// Columns the user turned off (F2); PID always shows. PPID starts off: on an 80-column
    /// screen it would take the room of columns that say more, and the tree shows parentage.
    var hidden: Set<ColumnID> = [.ppid]
    /// Data rows shown at the last render: PgUp/PgDn move by this much.
    var pageRows = 10
    /// Rows that left the pane (the process exited or stopped listening; for Matched, also
    /// stopped matching), kept for a few seconds as dimmed rows, as htop's -H does.
    var tombstones: [ProcessIdentity: Tombstone] = [:]

    struct Tombstone {
        var record: ProcessRecord
        var goneAt: UInt64
    }
}

/// One `PaneState` for each pane.
struct Panes {
    var events = PaneState()
    var processes = PaneState()
    var matched = PaneState()

    subscript(pane: Pane) -> PaneState {
        get {
            switch pane {
            case .events: events
            case .processes: processes
            case .matched: matched
            }
        }
        set {
            switch pane {
            case .events: events = newValue
            case .processes: processes = newValue
            case .matched: matched = newValue
            }
        }
    }
}
