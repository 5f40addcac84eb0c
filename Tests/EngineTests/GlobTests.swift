import Testing
@testable import Engine

@Suite struct GlobTests {
    @Test(arguments: [
        ("*prometheus", "/usr/local/bin/prometheus", true),
        ("*prometheus", "/usr/local/bin/prometheus-exporter", false),
        ("*python*", "/usr/bin/python3.11", true),
        ("/usr/bin/?ava", "/usr/bin/java", true),
        ("/usr/bin/?ava", "/usr/bin/jjava", false),
        ("*{testserver,rename1}", "/app/rename1", true),
        ("*{testserver,rename1}", "/app/testserver", true),
        ("*{testserver,rename1}", "/app/testserver2", false),
        ("*otelcol-contrib[!/]*", "/bin/otelcol-contrib2", true),
        ("*otelcol-contrib[!/]*", "/bin/otelcol-contrib/x", false),
        ("[a-c]at", "bat", true),
        ("[a-c]at", "rat", false),
        ("*.so.[0-9]", "/lib/libc.so.6", true),
        ("a\\*b", "a*b", true),
        ("a\\*b", "axb", false),
        ("file.txt", "fileXtxt", false),
        ("(x)+", "(x)+", true),
        ("*", "", true),
        ("{java,go}", "go", true),
        ("{java,go}", "golang", false),
        ("*{a,b}{c,d}", "/x/bd", true),
        ("{*/server,*/api}-[0-9]", "/srv/api-7", true),
        ("[a-]x", "-x", true),
        ("*a*a*a*a*a*b", String(repeating: "a", count: 40), false),
        ("caf\u{E9}*", "caf\u{E9}-bar", true),
    ])
    func globMatchesTheWholeText(pattern: String, text: String, expected: Bool) throws {
        #expect(try Glob(pattern).matches(text) == expected)
    }

    @Test(arguments: ["*[java", "[]", "{a,b", "trailing\\", "[z-a]", String(repeating: "{a,b}", count: 11)])
    func brokenGlobsAreErrors(pattern: String) {
        #expect(throws: Glob.Invalid.self) { try Glob(pattern) }
    }

    /// Braces parse by recursion, and a few thousand nested `{` overflowed the stack (found
    /// feeding the glob fuzz harness a run of them): past 64 levels it is an error.
    @Test func deeplyNestedBracesAreAnErrorNotAStackOverflow() throws {
        let deep = String(repeating: "{", count: 100_000) + "a" + String(repeating: "}", count: 100_000)
        let error = #expect(throws: Glob.Invalid.self) { try Glob(deep) }
        #expect(error?.reason.contains("nested more than 64 deep") == true, "\(error?.reason ?? "")")
        let nested = String(repeating: "{", count: 64) + "a" + String(repeating: "}", count: 64)
        #expect(try Glob(nested).matches("a"))
    }

    /// Many stars against a long near-miss stay linear-ish: no exponential backtracking.
    @Test func manyStarsDoNotBacktrackExponentially() throws {
        let glob = try Glob(String(repeating: "*a", count: 30) + "*b")
        let start = MonotonicClock.nanos()
        #expect(!glob.matches("/" + String(repeating: "a", count: 4000)))
        #expect(MonotonicClock.nanos() - start < 2_000_000_000)
    }

    /// The same text means different things in `instrument` (glob, whole path) and in the
    /// deprecated `services` (regex, anywhere in the path).
    @Test func globIsAnchoredWhereRegexIsNot() throws {
        let path = "/usr/lib/jvm/bin/java"
        #expect(try !TextPattern.glob(Glob("java")).matches(path))
        #expect(try TextPattern.regex(RegexPattern("java")).matches(path))
        #expect(try TextPattern.glob(Glob("*java")).matches(path))
        #expect(try TextPattern.regex(RegexPattern("^/usr/lib/.*/java$")).matches(path))
        #expect(throws: RegexPattern.Invalid.self) { try RegexPattern("*java") }
    }
}
