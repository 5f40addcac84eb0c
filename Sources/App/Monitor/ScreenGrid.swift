import Engine

/// What a cell looks like, by meaning; the terminal maps meanings to colours and attributes.
enum CellStyle: UInt8, Sendable {
    case normal
    case dim
    case header
    case title
    case focusedTitle
    case columnHeader
    case selected
    case fresh       // a row that appeared in the last few seconds
    case tombstone   // a row that vanished in the last few seconds
    case match       // a matching process or a bind event on a matching port
    case error
    case keyHint
    case keyLabel
    case prompt
    case tagged      // a row tagged with Space, for the signal menu
    case menu        // a menu's box over the panes
}

/// A screen as a grid of cells: rendering is a pure function into one of these, so every
/// screen can be tested without a terminal, and the terminal draws only cells that changed.
///
/// Cells follow `DisplayWidth`: a wide character takes its cell and the next one, which holds
/// nothing (`character` is empty) and is drawn by the terminal as the character's right half;
/// combining marks sit in their character's cell. Writing over either half of a wide character
/// blanks the other half, so the grid never holds half a character.
struct ScreenGrid: Equatable {
    struct Cell: Equatable {
        /// What the terminal draws here: one character with its marks; empty for the right half
        /// of the wide character in the cell before.
        var character: String = " "
        var style: CellStyle = .normal

        var isRightHalf: Bool { character.isEmpty }
    }

    let width: Int
    let height: Int
    /// Every character outside ASCII is written as an escape (`\u670d`): for a terminal whose
    /// locale is not UTF-8.
    let asciiOnly: Bool
    private(set) var cells: [Cell]

    init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes `text` at (row, column), clipped to `limit` columns and the screen edge. Text is
    /// sanitized first: nothing a process chose can reach the terminal as a control sequence or
    /// shift the columns after it. A wide character that does not fit whole is left out and its
    /// place blanked. With `elision`, text that does not fit is cut with an ellipsis (`~` when
    /// the grid is ASCII only). Returns the column after the text.
    @discardableResult
    mutating func put(_ text: String, row: Int, column: Int, style: CellStyle = .normal, limit: Int? = nil, elision: Elision? = nil) -> Int {
        guard row >= 0, row < height else { return column }
        let end = min(width, column + (limit ?? width))
        var shown = SafeText.sanitize(text, asciiOnly: asciiOnly)
        if let elision { shown = elision.fit(shown, columns: max(0, end - max(0, column)), ellipsis: ellipsis) }
        var x = column
        for cell in DisplayWidth.cells(shown) {
            guard x + cell.width <= end else {
                if x >= 0, x < end { set(row, x, Cell(character: " ", style: style)) }
                break
            }
            if x >= 0 {
                set(row, x, Cell(character: cell.text, style: style))
                if cell.width == 2 { set(row, x + 1, Cell(character: "", style: style)) }
            }
            x += cell.width
        }
        return x
    }

    /// What a cut shows in a cell: `…`, or `~` when the grid writes ASCII only.
    var ellipsis: String { asciiOnly ? "~" : "…" }

    /// What prose that is still going on ends with (`reading…`): `...` when the grid writes ASCII only.
    var continuing: String { asciiOnly ? "..." : "…" }

    /// Columns `text` takes once `put` has sanitized it.
    func columns(of text: String) -> Int {
        DisplayWidth.of(SafeText.sanitize(text, asciiOnly: asciiOnly))
    }

    /// Fills `count` cells of a row with a style (keeping their characters blank).
    mutating func fill(row: Int, column: Int = 0, count: Int? = nil, style: CellStyle) {
        guard row >= 0, row < height else { return }
        let end = min(width, column + (count ?? width))
        for x in max(0, column)..<max(max(0, column), end) { set(row, x, Cell(character: " ", style: style)) }
    }

    /// Sets one cell, blanking the other half of a wide character it cuts into.
    private mutating func set(_ row: Int, _ x: Int, _ cell: Cell) {
        let index = row * width + x
        if cells[index].isRightHalf, x > 0 { cells[index - 1].character = " " }
        if x + 1 < width, cells[index + 1].isRightHalf { cells[index + 1].character = " " }
        cells[index] = cell
    }

    /// A row as plain text, trailing blanks trimmed: what tests look at. A wide character shows
    /// once, as in a terminal capture.
    func line(_ row: Int) -> String {
        var text = cells[(row * width)..<((row + 1) * width)].map(\.character).joined()
        while text.last == " " { text.removeLast() }
        return text
    }

    var text: String { (0..<height).map(line).joined(separator: "\n") }

    /// The column where `needle` starts in a row, counted in cells; nil when it is not there.
    func column(of needle: String, row: Int) -> Int? {
        guard !needle.isEmpty else { return nil }
        for column in 0..<width where !self[row, column].isRightHalf {
            var text = ""
            var x = column
            while x < width, text.unicodeScalars.count < needle.unicodeScalars.count {
                text += self[row, x].character
                x += 1
            }
            if text.hasPrefix(needle) { return column }
        }
        return nil
    }

    /// The style at the first occurrence of `needle` on the screen, for tests.
    func style(of needle: String) -> CellStyle? {
        for row in 0..<height {
            if let column = column(of: needle, row: row) { return self[row, column].style }
        }
        return nil
    }
}
