import Engine

/// How a cell too wide for its column is cut; either way the cut shows as `…`, never as text
/// that just stops.
enum Elision: Sendable {
    /// Keep the start: `by command line: open_po…`.
    case end
    /// Keep the start and the basename of a path: `/root/…/python3.11`.
    case middle
    /// Keep whole comma-separated items: `8080/tcp,8081/tcp,…`, never half a port.
    case items

    /// `text` (already sanitized) in at most `columns` display columns, by `DisplayWidth`, so
    /// wide and combining characters are never split.
    func fit(_ text: String, columns: Int, ellipsis: String = "…") -> String {
        guard DisplayWidth.of(text) > columns else { return text }
        let room = columns - DisplayWidth.of(ellipsis)
        guard room > 0 else { return DisplayWidth.prefix(text, columns: columns) }
        if self == .middle, let slash = text.lastIndex(of: "/") {
            let tail = String(text[slash...])
            let head = room - DisplayWidth.of(tail)
            if head >= 0 { return DisplayWidth.prefix(text, columns: head) + ellipsis + tail }
        }
        if self == .items {
            var kept = ""
            for item in text.split(separator: ",") {
                let next = kept + item + ","
                guard DisplayWidth.of(next) <= room else { break }
                kept = next
            }
            if !kept.isEmpty { return kept + ellipsis }
        }
        return DisplayWidth.prefix(text, columns: room) + ellipsis
    }
}
