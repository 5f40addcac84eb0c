/// How the three panes split the screen's height, in percent: Bind events and Matched have
/// their share, Processes the rest. `]` and `[` move a step to or from the focused pane;
/// the preferences keep it. Every pane keeps at least `minimum` percent, and at least
/// `minimumRows` rows however small the screen.
struct PaneShares: Equatable, Sendable {
    var events = 30
    var matched = 30

    static let step = 5
    static let minimum = 10
    /// A title, the column titles and three rows.
    static let minimumRows = 5

    var processes: Int { 100 - events - matched }

    init() {}

    /// Nil for shares a hand-edited file may hold that leave a pane under the minimum.
    init?(events: Int, processes: Int, matched: Int) {
        guard [events, processes, matched].allSatisfy({ $0 >= Self.minimum }), events + processes + matched == 100 else { return nil }
        self.events = events
        self.matched = matched
    }

    subscript(pane: Pane) -> Int {
        switch pane {
        case .events: events
        case .processes: processes
        case .matched: matched
        }
    }

    /// The focused pane a step taller (`by` 1) or shorter (-1). Processes grows from the taller
    /// of the other two and gives to the shorter; the others trade with Processes. False when
    /// a pane would go under the minimum.
    mutating func resize(_ pane: Pane, by direction: Int) -> Bool {
        let step = Self.step * direction
        var next = self
        switch pane {
        case .events: next.events += step
        case .matched: next.matched += step
        case .processes:
            let fromEvents = direction > 0 ? events > matched : events < matched
            if fromEvents { next.events -= step } else { next.matched -= step }
        }
        guard [next.events, next.processes, next.matched].allSatisfy({ $0 >= Self.minimum }) else { return false }
        self = next
        return true
    }

    /// The rows of each pane, top to bottom, in `total` rows: each its share, at least
    /// `minimumRows`, and Processes the rest.
    func heights(total: Int) -> [(Pane, Int)] {
        var eventsRows = max(Self.minimumRows, total * events / 100)
        var matchedRows = max(Self.minimumRows, total * matched / 100)
        // On a short screen the minimum of Processes comes out of the taller of the others.
        while total - eventsRows - matchedRows < Self.minimumRows, max(eventsRows, matchedRows) > Self.minimumRows {
            if eventsRows > matchedRows { eventsRows -= 1 } else { matchedRows -= 1 }
        }
        return [(.events, eventsRows), (.processes, total - eventsRows - matchedRows), (.matched, matchedRows)]
    }
}
