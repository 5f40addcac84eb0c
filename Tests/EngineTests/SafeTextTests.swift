import Testing
@testable import Engine

@Suite struct SafeTextTests {
    @Test func escapesTerminalControlSequences() {
        #expect(SafeText.sanitize("\u{1B}[2Jevil") == "\\x1b[2Jevil")
        #expect(SafeText.sanitize("a\nb\tc\u{7F}") == "a\\x0ab\\x09c\\x7f")
        #expect(SafeText.sanitize("\u{9B}31m") == "\\x9b31m")
    }

    @Test func escapesBidiOverrides() {
        #expect(SafeText.sanitize("abc\u{202E}gpj.exe") == "abc\\u202egpj.exe")
    }

    @Test func keepsOrdinaryAndInvalidUTF8TextAsIs() {
        #expect(SafeText.sanitize("nginx: worker") == "nginx: worker")
        #expect(SafeText.sanitize("café \u{FFFD}") == "café \u{FFFD}")
        #expect(SafeText.sanitize(String(decoding: [0x61, 0xFF, 0x62], as: UTF8.self)) == "a\u{FFFD}b")
    }
}
