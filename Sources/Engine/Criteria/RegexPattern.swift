/// A regular expression (`exe_path` in `services`, `exe_path_regexp`, `executable_name`), unanchored as in Beyla (`python` matches
/// `/usr/bin/python3.11`). The standard library's Regex: its syntax agrees with Go's RE2 on
/// everything Beyla configs use (classes, anchors, alternation, repetition), and it spares
/// the binary Foundation's ICU, which alone cost `list` ~10 MB of resident memory.
public struct RegexPattern: @unchecked Sendable, Hashable, CustomStringConvertible {
    // @unchecked: Regex<AnyRegexOutput> is not Sendable only because its match *output* holds
    // `Any`; the compiled program is immutable and initialised atomically, and we share no output.
    private let regex: Regex<AnyRegexOutput>
    public let source: String

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let pattern: String
        public let reason: String
        public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
    }

    public init(_ source: String) throws(Invalid) {
        do {
            regex = try Regex(source)
        } catch {
            throw Invalid(pattern: source, reason: "not a valid regular expression (\(error))")
        }
        self.source = source
    }

    public func matches(_ path: String) -> Bool {
        path.contains(regex)
    }

    public var description: String { source }
    public static func == (a: Self, b: Self) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
