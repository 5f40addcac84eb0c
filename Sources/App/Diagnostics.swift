import Glibc

/// Messages for people, on stderr, prefixed with the program name.
enum Diagnostics {
    static func error(_ message: String) { write("discotop: \(message)\n") }
    static func note(_ message: String) { write("discotop: \(message)\n") }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
