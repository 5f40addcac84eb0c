/// A selector's text attribute (`exe_path`, `cmd_args`, `languages`): a glob in `instrument`
/// sections, an unanchored regular expression in the deprecated `services` sections.
public enum TextPattern: Sendable, Hashable, CustomStringConvertible {
    case glob(Glob)
    case regex(RegexPattern)

    public func matches(_ text: String) -> Bool {
        switch self {
        case .glob(let glob): glob.matches(text)
        case .regex(let regex): regex.matches(text)
        }
    }

    /// The pattern's own text.
    public var source: String {
        switch self {
        case .glob(let glob): glob.source
        case .regex(let regex): regex.source
        }
    }

    /// `glob *java*` or `regex ^/usr/bin/`.
    public var description: String {
        switch self {
        case .glob(let glob): "glob \(glob.source)"
        case .regex(let regex): "regex \(regex.source)"
        }
    }
}
