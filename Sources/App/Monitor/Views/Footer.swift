/// The bottom line's key hints, from the key table of the screen that shows. The lowest
/// priorities go first when the screen is narrow; `q Quit` always stays.
enum Footer {
    struct Item: Equatable {
        var key: String
        var label: String
        var priority: Int
        /// The notice: cut to fit rather than dropped.
        var cuttable = false
    }

    /// What the footer says on this screen, before fitting. `scroll` is the help's or the
    /// inspect view's viewport, when it has one.
    static func items(_ state: MonitorState, table: KeyTable, scroll: Viewport?) -> [Item] {
        let scrolls = (scroll?.lastScroll ?? 0) > 0
        var items: [Item] = []
        for hint in table.footer {
            let isScroll = hint.actions.allSatisfy { if case .move = $0 { true } else { false } }
            if isScroll, !scrolls { continue }
            items.append(Item(key: table.keyText(of: hint), label: hint.label(state), priority: hint.priority))
        }
        if let other = table.otherKeys {
            // "any key" only where no other key shows in the footer.
            let alone = items.allSatisfy { $0.priority == KeyTables.quitPriority }
            items.insert(Item(key: alone ? "any key" : "any other key", label: other.label, priority: 8), at: 0)
        }
        if scrolls, let scroll { items.append(Item(key: "", label: scroll.position, priority: 4)) }
        // A notice (a signal's outcome) leads while it lasts, before every hint but quit.
        if let notice = state.currentNotice { items.insert(Item(key: "", label: notice, priority: KeyTables.quitPriority - 1, cuttable: true), at: 0) }
        return items
    }

    static func width(of item: Item) -> Int { item.key.count + 1 + item.label.count + 2 }

    /// The items that fit in `width`, in their order.
    static func fit(_ items: [Item], width: Int) -> [Item] {
        var kept = items
        let quit = KeyTables.quitPriority
        for item in items.sorted(by: { $0.priority < $1.priority }) where item.priority < quit && !item.cuttable {
            guard kept.map(width(of:)).reduce(0, +) > width else { break }
            kept.removeAll { $0 == item }
        }
        // What is left is the notice (or nothing) beside quit: a long one (an export's path) is
        // cut in the middle to fit, keeping the file's name, rather than dropped.
        let over = kept.map(width(of:)).reduce(0, +) - width
        if over > 0, let index = kept.firstIndex(where: \.cuttable) {
            kept[index].label = Elision.middle.fit(kept[index].label, columns: max(1, kept[index].label.count - over))
        }
        return kept
    }

    static func render(_ state: MonitorState, table: KeyTable, scroll: Viewport?, row: Int, _ grid: inout ScreenGrid) {
        var column = 0
        grid.fill(row: row, style: .keyHint)
        for item in fit(items(state, table: table, scroll: scroll), width: grid.width) {
            column = grid.put(item.key + " ", row: row, column: column, style: .keyLabel)
            column = grid.put(item.label + "  ", row: row, column: column, style: .keyHint)
        }
    }
}
