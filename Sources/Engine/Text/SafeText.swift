/// Text that came from a process (comm, cmdline, paths) is untrusted: a process can name itself
/// `\e[2J` to attack whoever looks at it, or pick characters that shift the columns after its
/// name. This makes such text safe to put on a terminal and as wide as `DisplayWidth` says.
public enum SafeText {
    /// ncursesw keeps at most this many zero-width marks with a character (CCHARW_MAX - 1 in
    /// Debian's build); more would be dropped by ncurses in the monitor and kept by `list`.
    static let marksPerCharacter = 4

    /// Escapes, as visible text (`\x1b`, `\u202e`): C0/C1 control characters, DEL, bidirectional
    /// overrides, and what has no width (unassigned code points, line and paragraph separators).
    /// Leaves out what terminals disagree on the width of (see `isDisputed`), marks beyond
    /// `marksPerCharacter`, and puts U+00A0 under a mark that has no character to sit on (tmux
    /// drops such a mark, ncurses would put it on the cell before). Everything else, including
    /// U+FFFD from invalid UTF-8, wide and combining characters, is kept.
    ///
    /// `asciiOnly` escapes every character outside ASCII too: for a terminal whose locale is not
    /// UTF-8, where those bytes would be read as something else (0x9B in `服` is a C1 CSI).
    public static func sanitize(_ text: String, asciiOnly: Bool = false) -> String {
        // Printable ASCII, nearly every name: nothing to do.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        var marks: Int? = nil  // zero-width marks on the last character; nil before the first
        var previous: Unicode.Scalar? = nil
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            if isUnsafe(scalar) || (asciiOnly && scalar.value >= 0x7F) {
                result += escape(scalar)
                marks = 0
                continue
            }
            if isDisputed(scalar, after: previous) { continue }
            switch DisplayWidth.of(scalar) {
            case ..<0:
                result += escape(scalar)
                marks = 0
            case 0:
                if marks == nil { result.unicodeScalars.append("\u{A0}") }
                guard (marks ?? 0) < marksPerCharacter else { continue }
                result.unicodeScalars.append(scalar)
                marks = (marks ?? 0) + 1
            default:
                result.unicodeScalars.append(scalar)
                marks = 0
            }
        }
        return result
    }

    /// `\x1b` below U+0100, `\u202e` above: what a character left out is shown as.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return scalar.value < 0x100
            ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Characters whose width depends on the terminal, so that keeping them could shift every
    /// column after them: the zero-width joiner (tmux 3.3 draws `a`+ZWJ+emoji, or a whole
    /// emoji family, in one cell, where wcwidth and xterm count each part), the emoji
    /// presentation selector VS16 (kitty widens `❤` to 2 with it, tmux and wcwidth keep 1), and
    /// skin-tone modifiers after an emoji (joined into one cell by kitty, two cells in tmux).
    /// Without them each emoji shows on its own at its wcwidth, the same everywhere.
    static func isDisputed(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar?) -> Bool {
        switch scalar.value {
        case 0x200D, 0xFE0F: true
        case 0x1F3FB...0x1F3FF: previous?.properties.isEmojiModifierBase == true
        default: false
        }
    }
}
