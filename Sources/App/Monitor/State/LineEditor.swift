/// A one-line text editor with shell-like keys, for the prompts (ports, filter, search). The
/// text has no length limit: a pasted list cut at some length would end mid-number and still
/// parse, as another filter than the one pasted.
struct LineEditor: Equatable {
    private(set) var text: [Character]
    private(set) var cursor: Int

    init(text: String) {
        self.text = Array(text)
        cursor = self.text.count
    }

    var string: String { String(text) }

    /// Applies an editing key; returns false for keys the editor does not handle.
    mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .character(let c) where !c.isNewline && c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }):
            text.insert(c, at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            text.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < text.count else { return true }
            text.remove(at: cursor)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .controlA: cursor = 0
        case .end, .controlE: cursor = text.count
        case .controlU:
            text.removeSubrange(0..<cursor)
            cursor = 0
        case .controlW:
            // Deletes the word before the cursor, as a shell does: blanks, then non-blanks.
            var start = cursor
            while start > 0, text[start - 1] == " " { start -= 1 }
            while start > 0, text[start - 1] != " ", text[start - 1] != "," { start -= 1 }
            if start == cursor, start > 0 { start -= 1 }
            text.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }
}
