import Foundation

/// An `exe_path` regular expression, unanchored as in Beyla (`python` matches
/// `/usr/bin/python3.11`). ICU syntax; it agrees with Go's RE2 on everything Beyla configs use
/// (classes, anchors, alternation, repetition).
public struct ExePathPattern: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    // NSRegularExpression is immutable and documented as safe to share between threads.
    private let regex: NSRegularExpression

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let pattern: String
        public var description: String { "invalid exe path pattern \"\(pattern)\": not a valid regular expression" }
    }

    public init(_ source: String) throws(Invalid) {
        do {
            regex = try NSRegularExpression(pattern: source)
        } catch {
            throw Invalid(pattern: source)
        }
        self.source = source
    }

    public func matches(_ path: String) -> Bool {
        regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    public var description: String { source }
    public static func == (a: Self, b: Self) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
