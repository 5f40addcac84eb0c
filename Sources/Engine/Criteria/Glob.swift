/// A glob as Beyla reads `exe_path`, `cmd_args` and `languages` in `instrument` selectors
/// (gobwas/glob without separators): `*` is any run of characters, `/` included; `?` one
/// character; `[abc]`, `[a-z]`, `[!a-z]` a class; `{a,b}` alternatives (which may hold globs);
/// `\x` a literal `x`. The whole text must match (`*prometheus` does not match
/// `/bin/prometheus-exporter`).
///
/// Compiled to a standard-library Regex: one matcher, one set of edge cases.
public struct Glob: @unchecked Sendable, Hashable, CustomStringConvertible {
    // @unchecked: see RegexPattern.
    private let regex: Regex<AnyRegexOutput>
    public let source: String

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let pattern: String
        public let reason: String
        public var description: String { "invalid glob \"\(pattern)\": \(reason)" }
    }

    public init(_ source: String) throws(Invalid) {
        let translated = try Self.translate(Array(source), pattern: source)
        do {
            regex = try Regex(translated)
        } catch {
            throw Invalid(pattern: source, reason: "cannot be compiled (\(error))")
        }
        self.source = source
    }

    public func matches(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }

    public var description: String { source }
    public static func == (a: Self, b: Self) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    static func translate(_ chars: [Character], pattern: String) throws(Invalid) -> String {
        var out = ""
        var index = 0
        var braceDepth = 0
        while index < chars.count {
            let c = chars[index]
            switch c {
            case "*": out += "(?s:.*)"
            case "?": out += "(?s:.)"
            case "\\":
                index += 1
                guard index < chars.count else { throw Invalid(pattern: pattern, reason: "ends with an unfinished escape \"\\\"") }
                out += escaped(chars[index])
            case "[":
                guard let close = chars[(index + 1)...].firstIndex(of: "]"), close > index + 1 else {
                    throw Invalid(pattern: pattern, reason: "the class opened at character \(index + 1) is never closed")
                }
                var body = Array(chars[(index + 1)..<close])
                var negated = false
                if body.first == "!" { negated = true; body.removeFirst() }
                guard !body.isEmpty else { throw Invalid(pattern: pattern, reason: "the class at character \(index + 1) is empty") }
                out += "[" + (negated ? "^" : "") + body.map { $0 == "-" ? "-" : escaped($0) }.joined() + "]"
                index = close
            case "{":
                braceDepth += 1
                out += "(?:"
            case "}" where braceDepth > 0:
                braceDepth -= 1
                out += ")"
            case "," where braceDepth > 0:
                out += "|"
            default:
                out += escaped(c)
            }
            index += 1
        }
        guard braceDepth == 0 else { throw Invalid(pattern: pattern, reason: "a \"{\" is never closed") }
        return out
    }

    private static func escaped(_ c: Character) -> String {
        c.isLetter || c.isNumber || c == "_" || c == "/" || c.unicodeScalars.first!.value > 127 ? String(c) : "\\" + String(c)
    }
}
