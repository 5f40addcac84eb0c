enum Pane: Int, CaseIterable, Sendable {
    case events, processes, matched

    var title: String {
        switch self {
        case .events: "Bind events"
        case .processes: "Processes"
        case .matched: "Matched"
        }
    }
}
