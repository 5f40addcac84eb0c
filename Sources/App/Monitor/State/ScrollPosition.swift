/// Which lines of a long text (the help, an inspection) show, and how far it scrolls.
struct Viewport: Equatable {
    var first: Int
    var page: Int
    var total: Int

    var lastScroll: Int { max(0, total - page) }
    var position: String { "lines \(first + 1)-\(min(total, first + page)) of \(total)" }

    /// The viewport for `total` lines in `page` rows from line `top`, clamped so the page stays full.
    init(top: Int, page: Int, total: Int) {
        self.page = max(1, page)
        self.total = total
        first = 0
        first = min(max(0, top), lastScroll)
    }
}

/// A scrolled text's first line, moved by the movement keys within what the last render showed.
struct ScrollPosition {
    var top = 0
    /// What the text showed at the last render: PgUp/PgDn move by its page, End goes to its end.
    var shown: Viewport?

    mutating func move(_ movement: MonitorAction.Movement) {
        let page = max(1, shown?.page ?? 10)
        let last = shown?.lastScroll ?? 0
        let current = min(max(0, top), last)
        switch movement {
        case .up: top = max(0, current - 1)
        case .down: top = min(last, current + 1)
        case .pageUp: top = max(0, current - page)
        case .pageDown: top = min(last, current + page)
        case .top: top = 0
        case .bottom: top = last
        }
    }
}
