import CLinux

/// How many terminal columns text takes: the one width rule for the monitor, `list` and
/// `watch`. Widths are glibc's `wcwidth` under a UTF-8 locale, because that is what ncursesw
/// places cells by and what tmux measures with; a table of our own would drift from theirs with
/// each Unicode release, and the monitor's grid must agree with ncurses cell for cell.
///
/// Text is seen as *cells*: a character with a width of 1 or 2 together with the zero-width
/// marks that follow it (combining accents, variation selectors), which draw in its cell. A cell
/// is never split: truncation keeps it whole or drops it whole.
///
/// The functions on strings expect text from `SafeText.sanitize`, which guarantees that every
/// character has a width and that no mark stands without a character before it.
public enum DisplayWidth {
    /// 0 (a combining mark or other zero-width character), 1, 2 (East Asian wide, most emoji),
    /// or -1 for what a terminal cannot show (unassigned code points, line separators, controls).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        // Printable ASCII, nearly all text, without the C call.
        if scalar.value >= 0x20, scalar.value < 0x7F { return 1 }
        return Int(discotop_wcwidth(scalar.value))
    }

    /// One drawn cell's text and its width (1 or 2).
    public struct Cell: Equatable, Sendable {
        public var text: String
        public var width: Int
    }

    /// `text` as cells, left to right. A zero-width mark with no character before it (which
    /// sanitized text never has) is left out rather than given a cell of width 0.
    public static func cells(_ text: String) -> [Cell] {
        var cells: [Cell] = []
        cells.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let width = of(scalar)
            if width > 0 {
                cells.append(Cell(text: String(scalar), width: width))
            } else if !cells.isEmpty {
                cells[cells.count - 1].text.unicodeScalars.append(scalar)
            }
        }
        return cells
    }

    /// Columns `text` takes.
    public static func of(_ text: String) -> Int {
        // Printable ASCII: one column per byte.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.unicodeScalars.reduce(0) { $0 + max(0, of($1)) }
    }

    /// The longest start of `text` that fits in `columns`, never half a wide character and never
    /// a character without its marks.
    public static func prefix(_ text: String, columns: Int) -> String {
        var result = ""
        var used = 0
        for cell in cells(text) {
            guard used + cell.width <= columns else { break }
            result += cell.text
            used += cell.width
        }
        return result
    }

    /// `text` followed by blanks up to `columns` (unchanged when it is as wide or wider).
    public static func padded(_ text: String, to columns: Int) -> String {
        let width = of(text)
        return width >= columns ? text : text + String(repeating: " ", count: columns - width)
    }
}
