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
}

/// A screen as a grid of cells: rendering is a pure function into one of these, so every
/// screen can be tested without a terminal, and the terminal draws only cells that changed.
struct ScreenGrid: Equatable {
    struct Cell: Equatable {
        var character: Character = " "
        var style: CellStyle = .normal
    }

    let width: Int
    let height: Int
    private(set) var cells: [Cell]

    init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes `text` at (row, column), clipped to `limit` cells and the screen edge. Text is
    /// sanitized first: nothing a process chose can reach the terminal as a control sequence.
    /// Returns the column after the text.
    @discardableResult
    mutating func put(_ text: String, row: Int, column: Int, style: CellStyle = .normal, limit: Int? = nil) -> Int {
        guard row >= 0, row < height else { return column }
        let end = min(width, column + (limit ?? width))
        var x = column
        for character in SafeCells.characters(of: text) {
            guard x < end else { break }
            if x >= 0 { cells[row * width + x] = Cell(character: character, style: style) }
            x += 1
        }
        return x
    }

    /// Fills `count` cells of a row with a style (keeping their characters blank).
    mutating func fill(row: Int, column: Int = 0, count: Int? = nil, style: CellStyle) {
        guard row >= 0, row < height else { return }
        let end = min(width, column + (count ?? width))
        for x in max(0, column)..<max(max(0, column), end) { cells[row * width + x] = Cell(character: " ", style: style) }
    }

    /// A row as plain text, trailing blanks trimmed: what tests look at.
    func line(_ row: Int) -> String {
        var text = String(cells[(row * width)..<((row + 1) * width)].map(\.character))
        while text.last == " " { text.removeLast() }
        return text
    }

    var text: String { (0..<height).map(line).joined(separator: "\n") }

    /// The style at the first occurrence of `needle` on the screen, for tests.
    func style(of needle: String) -> CellStyle? {
        let target = Array(needle)
        guard !target.isEmpty else { return nil }
        for row in 0..<height {
            let characters = cells[(row * width)..<((row + 1) * width)].map(\.character)
            guard characters.count >= target.count else { continue }
            for column in 0...(characters.count - target.count) where Array(characters[column..<(column + target.count)]) == target {
                return self[row, column].style
            }
        }
        return nil
    }
}


/// One character per cell: escapes become visible text, and wide or combining characters are
/// replaced so that columns never shift (a process name must not be able to break the layout).
enum SafeCells {
    static func characters(of text: String) -> [Character] {
        SafeText.sanitize(text).map { character in
            guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return "?" }
            switch scalar.value {
            case 0x20..<0x7F, 0xA0..<0x300: return character
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
                return "?"  // double width
            default: return character
            }
        }
    }
}
