/// Where the last frame drew a pane: the rows a mouse click can land on and the columns of its
/// header. The renderer records it; `MonitorState.click` reads it.
struct PaneLayout: Equatable {
    struct ColumnSpan: Equatable {
        var id: ColumnID
        var columns: Range<Int>
    }

    var pane: Pane
    var titleRow: Int
    var headerRow: Int
    /// The screen rows of data, and the index of the pane's row drawn on the first of them.
    var dataRows: Range<Int>
    var firstIndex: Int
    var spans: [ColumnSpan]

    var rows: ClosedRange<Int> { titleRow...max(headerRow, dataRows.upperBound - 1) }
}
