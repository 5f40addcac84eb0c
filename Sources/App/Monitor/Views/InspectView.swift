import Engine

/// The inspect view: a process's labelled lines, values wrapped at word boundaries and
/// scrolled when they do not fit; "reading…" until the background read delivers.
enum InspectView {
    static let labelColumn = 2
    static let labelWidth = 11
    static let valueColumn = 14

    struct Line: Equatable {
        var label: String
        var value: String
        var style: CellStyle
    }

    /// Every line for a screen `width` wide, before scrolling.
    static func lines(_ inspection: Inspection, width: Int) -> [Line] {
        inspection.lines.flatMap { line in
            WordWrap.lines(SafeText.sanitize(line.value), width: width - valueColumn - 1).enumerated().map { index, part in
                Line(label: index == 0 ? line.label : "", value: part, style: line.style)
            }
        }
    }

    @discardableResult
    static func render(_ inspecting: InspectState, rows: Range<Int>, _ grid: inout ScreenGrid) -> Viewport {
        grid.fill(row: rows.lowerBound, style: .focusedTitle)
        grid.put("> " + inspecting.title, row: rows.lowerBound, column: 0, style: .focusedTitle)
        guard let inspection = inspecting.inspection else {
            grid.put("reading" + grid.continuing, row: rows.lowerBound + 2, column: labelColumn, style: .dim)
            return Viewport(top: 0, page: rows.count - 2, total: 0)
        }
        let all = lines(inspection, width: grid.width)
        let viewport = Viewport(top: inspecting.scroll.top, page: rows.count - 2, total: all.count)
        for (offset, line) in all.dropFirst(viewport.first).prefix(viewport.page).enumerated() {
            let row = rows.lowerBound + 2 + offset
            grid.put(line.label, row: row, column: labelColumn, style: .keyLabel, limit: labelWidth)
            grid.put(line.value, row: row, column: valueColumn, style: line.style, limit: grid.width - valueColumn - 1)
        }
        return viewport
    }
}
