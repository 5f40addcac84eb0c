/// A glob as Beyla reads `exe_path`, `cmd_args` and `languages` in `instrument` selectors
/// (gobwas/glob without separators): `*` is any run of characters, `/` included; `?` one
/// character; `[abc]`, `[a-z]`, `[!a-z]` a class; `{a,b}` alternatives (which may hold globs);
/// `\x` a literal `x`. The whole text must match (`*prometheus` does not match
/// `/bin/prometheus-exporter`).
///
/// Matched directly rather than through the standard library's Regex: compiling Beyla's
/// default exclusions as Regexes cost 1.8 MB of resident memory in every run, config or not.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    /// One character position of a pattern; `{a,b}` is expanded into separate patterns.
    enum Atom: Sendable, Hashable {
        case literal(Unicode.Scalar)
        case anyOne
        case anyRun
        case set([ClosedRange<Unicode.Scalar>], negated: Bool)

        func accepts(_ c: Unicode.Scalar) -> Bool {
            switch self {
            case .literal(let l): l == c
            case .anyOne: true
            case .anyRun: false
            case .set(let ranges, let negated): ranges.contains { $0.contains(c) } != negated
            }
        }
    }

    /// The pattern with its alternatives expanded: the text must match one of them.
    let expansions: [[Atom]]
    public let source: String

    /// Expanding `{a,b}{c,d}...` multiplies; past this many it is an error, not a slow match.
    static let maximumExpansions = 1024
    /// Braces are parsed by recursion: a few thousand nested `{` overflowed the stack.
    static let maximumNesting = 64

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let pattern: String
        public let reason: String
        public var description: String { "invalid glob \"\(pattern)\": \(reason)" }
    }

    public init(_ source: String) throws(Invalid) {
        var parser = Parser(chars: Array(source.unicodeScalars), pattern: source)
        expansions = try parser.sequence(inBraces: false)
        self.source = source
    }

    public func matches(_ text: String) -> Bool {
        // Unicode scalars, not Characters: no grapheme breaking on every path tested.
        let scalars = Array(text.unicodeScalars)
        return expansions.contains { Self.match($0, scalars) }
    }

    public var description: String { source }
    public static func == (a: Self, b: Self) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// The classic wildcard walk: on a mismatch, retry from the last `*` one character
    /// further. Linear in practice and O(pattern x text) at worst, never exponential.
    static func match(_ pattern: [Atom], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0, t = 0
        var star = -1, starText = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == .anyRun {
                star = p
                starText = t
                p += 1
            } else if p < pattern.count, pattern[p].accepts(text[t]) {
                p += 1
                t += 1
            } else if star >= 0 {
                p = star + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == .anyRun { p += 1 }
        return p == pattern.count
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        let pattern: String
        var index = 0
        var depth = 0

        /// Parses up to the end (or, inside braces, up to `,` or `}`) into expanded patterns.
        mutating func sequence(inBraces: Bool) throws(Invalid) -> [[Atom]] {
            var result: [[Atom]] = [[]]
            func append(_ atom: Atom) {
                for i in result.indices where !(atom == .anyRun && result[i].last == .anyRun) { result[i].append(atom) }
            }
            while index < chars.count {
                let c = chars[index]
                if inBraces, c == "," || c == "}" { return result }
                index += 1
                switch c {
                case "*": append(.anyRun)
                case "?": append(.anyOne)
                case "\\":
                    guard index < chars.count else { throw Invalid(pattern: pattern, reason: "ends with an unfinished escape \"\\\"") }
                    append(.literal(chars[index]))
                    index += 1
                case "[": append(try set(openedAt: index))
                case "{":
                    let options = try alternatives(openedAt: index)
                    guard result.count * options.count <= Glob.maximumExpansions else {
                        throw Invalid(pattern: pattern, reason: "more than \(Glob.maximumExpansions) combinations of {...} alternatives")
                    }
                    result = result.flatMap { prefix in options.map { prefix + $0 } }
                default: append(.literal(c))
                }
            }
            if inBraces { throw Invalid(pattern: pattern, reason: "a \"{\" is never closed") }
            return result
        }

        mutating func set(openedAt position: Int) throws(Invalid) -> Atom {
            var negated = false
            if index < chars.count, chars[index] == "!" {
                negated = true
                index += 1
            }
            var ranges: [ClosedRange<Unicode.Scalar>] = []
            while index < chars.count, chars[index] != "]" {
                let low = chars[index]
                if index + 2 < chars.count, chars[index + 1] == "-", chars[index + 2] != "]" {
                    let high = chars[index + 2]
                    guard low <= high else { throw Invalid(pattern: pattern, reason: "the class range \(low)-\(high) is reversed") }
                    ranges.append(low...high)
                    index += 3
                } else {
                    ranges.append(low...low)
                    index += 1
                }
            }
            guard index < chars.count else {
                throw Invalid(pattern: pattern, reason: "the class opened at character \(position) is never closed")
            }
            index += 1
            guard !ranges.isEmpty else { throw Invalid(pattern: pattern, reason: "the class at character \(position) is empty") }
            return .set(ranges, negated: negated)
        }

        mutating func alternatives(openedAt position: Int) throws(Invalid) -> [[Atom]] {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Glob.maximumNesting else {
                throw Invalid(pattern: pattern, reason: "{...} nested more than \(Glob.maximumNesting) deep at character \(position)")
            }
            var options: [[Atom]] = []
            while true {
                options += try sequence(inBraces: true)
                guard index < chars.count else { throw Invalid(pattern: pattern, reason: "the \"{\" at character \(position) is never closed") }
                let separator = chars[index]
                index += 1
                if separator == "}" { return options }
            }
        }
    }
}
