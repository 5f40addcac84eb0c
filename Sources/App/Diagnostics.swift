/// Messages for people, on stderr, prefixed with the program name.
enum Diagnostics {
    static func error(_ message: String) { write("discotop: \(message)\n") }
    static func note(_ message: String) { write("discotop: \(message)\n") }

    /// A failed write to stderr goes unreported: there is nowhere left to report it.
    private static func write(_ text: String) {
        try? OutputStream.standardError.write(text)
    }
}
