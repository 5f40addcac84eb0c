import Engine

/// The bottom-line prompt: the `/` port ranges, the `\` filter or the F3 search, each a
/// `LineEditor`. For ports, while the text is not a valid range list the error shows and the
/// last valid filter stays in force.
struct PromptState: Equatable {
    enum Purpose: Equatable {
        case ports, filter, search

        var label: String {
            switch self {
            case .ports: "Ports: "
            case .filter: "Filter: "
            case .search: "Search: "
            }
        }

        /// What the prompt says after the text while it is valid.
        var hint: String {
            switch self {
            case .ports: "Enter keep, Esc cancel"
            case .filter: "Enter keep, Esc clear"
            case .search: "F3 next, Enter keep, Esc close"
            }
        }
    }

    let purpose: Purpose
    private(set) var editor: LineEditor
    /// What the text was when the prompt opened: Esc goes back to it.
    let original: String
    /// Ranges the text spells: `.some(nil)` for blank (no port filter), nil when invalid.
    private(set) var parsed: PortRanges??
    /// Why the current text is not valid, or nil.
    private(set) var error: String?

    init(text: String, purpose: Purpose = .ports) {
        self.purpose = purpose
        editor = LineEditor(text: text)
        original = text
        validate()
    }

    var string: String { editor.string }
    var cursor: Int { editor.cursor }

    mutating func edit(_ key: Key) -> Bool {
        guard editor.edit(key) else { return false }
        validate()
        return true
    }

    private mutating func validate() {
        guard purpose == .ports else { return }
        do {
            parsed = .some(try PortRanges.parseOptional(string))
            error = nil
        } catch {
            parsed = nil
            self.error = error.shortDescription
        }
    }
}
