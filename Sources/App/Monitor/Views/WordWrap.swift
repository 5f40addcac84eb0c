/// Breaks text into lines of at most `width` characters at spaces, so no word is cut where the
/// screen ends. Leading spaces indent every line; a word longer than a whole line is the only
/// thing ever split.
enum WordWrap {
    static func lines(_ text: String, width: Int) -> [String] {
        let indent = String(text.prefix { $0 == " " })
        let room = max(1, width - indent.count)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = Substring(word)
            if !current.isEmpty, current.count + 1 + word.count <= room {
                current += " " + word
                continue
            }
            if !current.isEmpty { lines.append(indent + current) }
            while word.count > room {
                lines.append(indent + word.prefix(room))
                word = word.dropFirst(room)
            }
            current = String(word)
        }
        if !current.isEmpty || lines.isEmpty { lines.append(indent + current) }
        return lines
    }
}
