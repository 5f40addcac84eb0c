import Engine

/// What a mistyped subcommand was probably meant to be. Bare `discotop` runs the monitor, so
/// without this `discotop lst` reads as the monitor given a stray argument and ArgumentParser
/// answers "Unexpected argument 'lst'", which does not say that `list` exists.
enum CommandSuggestion {
    /// The message for `word` in the subcommand's place, or nil when it is a command, an option,
    /// or not something a subcommand could be mistaken for.
    static func message(for word: String, commands: [String]) -> String? {
        guard !word.hasPrefix("-"), !commands.contains(word) else { return nil }
        let names = commands.joined(separator: ", ")
        guard let best = closest(to: word, among: commands) else {
            return "'\(SafeText.sanitize(word))' is not a discotop command (commands: \(names))"
        }
        return "'\(SafeText.sanitize(word))' is not a discotop command; did you mean \(best)?"
    }

    /// The command nearest to `word` by edit distance, if near enough to be a typo: at most a
    /// third of its letters off (two for `list`), or `word` its prefix (`chec`).
    static func closest(to word: String, among commands: [String]) -> String? {
        let scored = commands.map { (name: $0, distance: distance(Array(word.lowercased()), Array($0))) }
        if let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= max(1, best.name.count / 3) {
            return best.name
        }
        return word.count >= 2 ? commands.first { $0.hasPrefix(word.lowercased()) } : nil
    }

    /// Optimal string alignment distance: Levenshtein plus swapping two neighbours (`lsit`).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
