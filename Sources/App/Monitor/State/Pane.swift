enum Pane: Int, CaseIterable, Sendable {
    case events, processes, matched

    /// The pane's name in the preferences file.
    var key: String {
        switch self {
        case .events: "events"
        case .processes: "processes"
        case .matched: "matched"
        }
    }

    var title: String {
        switch self {
        case .events: "Bind events"
        case .processes: "Processes"
        case .matched: "Matched"
        }
    }
}
