/// How wide a column may be: as wide as its widest visible cell (and its title) within
/// `minimum...maximum`. When the screen is too narrow, the column with the lowest `priority`
/// gives up its width first, down to `minimum`, and then is dropped.
struct WidthPolicy: Sendable {
    var minimum: Int
    /// Nil: as wide as its content.
    var maximum: Int?
    var priority: Int
    var elision: Elision = .end

    static func fixed(_ width: Int, priority: Int) -> WidthPolicy {
        WidthPolicy(minimum: width, maximum: width, priority: priority)
    }

    static func content(minimum: Int, maximum: Int? = nil, priority: Int, elision: Elision = .end) -> WidthPolicy {
        WidthPolicy(minimum: minimum, maximum: maximum, priority: priority, elision: elision)
    }
}

/// Column widths for one frame from the policies and what the visible cells need.
enum ColumnLayout {
    static let gap = 1

    /// The width of each column, nil for a dropped one. `content[i]` is the widest cell (and
    /// title) of column i. The last column shown takes whatever room is left, so its cells are
    /// cut only when the screen really is full.
    static func widths(_ policies: [WidthPolicy], content: [Int], available: Int) -> [Int?] {
        var widths: [Int?] = zip(policies, content).map { policy, need in
            min(max(need, policy.minimum), policy.maximum ?? Int.max)
        }
        func total() -> Int {
            let shown = widths.compactMap { $0 }
            return shown.reduce(0, +) + max(0, shown.count - 1) * gap
        }
        let byPriority = policies.indices.sorted { policies[$0].priority < policies[$1].priority }
        for index in byPriority where total() > available {
            let excess = total() - available
            widths[index] = max(policies[index].minimum, widths[index]! - excess)
        }
        for index in byPriority.dropLast() where total() > available { widths[index] = nil }
        if let last = widths.lastIndex(where: { $0 != nil }), total() < available {
            widths[last] = widths[last]! + available - total()
        }
        return widths
    }
}
