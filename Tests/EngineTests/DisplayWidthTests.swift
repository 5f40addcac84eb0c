import Testing
@testable import Engine

/// The width rule every text column uses: sanitize, then measure, pad and cut in cells.
@Suite struct DisplayWidthTests {
    func width(_ text: String) -> Int { DisplayWidth.of(SafeText.sanitize(text)) }
    func cells(_ text: String) -> [String] { DisplayWidth.cells(SafeText.sanitize(text)).map(\.text) }

    @Test func cjkTakesTwoColumnsPerCharacter() {
        #expect(width("服务器监听") == 10)
        #expect(cells("服务器监听") == ["服", "务", "器", "监", "听"])
        #expect(DisplayWidth.cells("a服").map(\.width) == [1, 2])
        #expect(width("ｆｕｌｌ") == 8)  // fullwidth Latin
        #expect(width("한글") == 4)
    }

    @Test func asciiAndNarrowScriptsTakeOne() {
        #expect(width("nginx: worker") == 13)
        #expect(width("café") == 4)
        #expect(width("сервер") == 6)
        #expect(width("\u{FFFD}") == 1)  // what invalid UTF-8 became
    }

    @Test func combiningMarksStayWithTheirCharacter() {
        #expect(width("e\u{301}\u{302}") == 1)
        #expect(cells("e\u{301}\u{302}x") == ["e\u{301}\u{302}", "x"])
        // More marks than ncursesw keeps on a cell are left out, everywhere alike.
        let zalgo = "a" + String(repeating: "\u{301}", count: 9)
        #expect(cells(zalgo) == ["a" + String(repeating: "\u{301}", count: 4)])
        // A mark with nothing before it sits on a no-break space instead of the cell to its left.
        #expect(SafeText.sanitize("\u{301}x") == "\u{A0}\u{301}x")
        #expect(width("\u{301}x") == 2)
    }

    @Test func zeroWidthJoinersAreLeftOut() {
        #expect(SafeText.sanitize("a\u{200D}b\u{200D}c") == "abc")
        // An emoji family shows as its members side by side: 2 columns each in every terminal,
        // where a joined family would be 2 in tmux and 6 in xterm.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"
        #expect(cells(family) == ["\u{1F468}", "\u{1F469}", "\u{1F467}"])
        #expect(width(family) == 6)
    }

    @Test func emojiTakeTwoAndDisputedModifiersAreLeftOut() {
        #expect(width("\u{1F600}") == 2)
        #expect(width("up\u{1F680}") == 4)
        #expect(SafeText.sanitize("\u{1F44D}\u{1F3FD}") == "\u{1F44D}")  // skin tone after a thumb
        #expect(SafeText.sanitize("\u{2764}\u{FE0F}") == "\u{2764}")  // VS16 widens it in some terminals only
        #expect(width("\u{2764}\u{FE0F}") == 1)
        #expect(width("\u{1F1EB}\u{1F1F7}") == 2)  // a flag: two regional indicators of 1
    }

    @Test func controlAndUnprintableCharactersAreEscapedAndMeasuredAsEscapes() {
        #expect(width("\u{1B}[2J") == 7)  // \x1b[2J
        #expect(SafeText.sanitize("a\u{2028}b") == "a\\u2028b")  // no width: escaped
        #expect(SafeText.sanitize("x\u{378}") == "x\\u0378")  // unassigned
        #expect(width("a\u{202E}b") == 8)
    }

    @Test func truncationNeverSplitsACell() {
        #expect(DisplayWidth.prefix("a服b", columns: 2) == "a")
        #expect(DisplayWidth.prefix("a服b", columns: 3) == "a服")
        #expect(DisplayWidth.prefix("服务器监听", columns: 5) == "服务")
        #expect(DisplayWidth.prefix("e\u{301}xy", columns: 1) == "e\u{301}")
        #expect(DisplayWidth.prefix("abc", columns: 0) == "")
    }

    @Test func paddingCountsColumns() {
        #expect(DisplayWidth.padded("服务", to: 6) == "服务  ")
        #expect(DisplayWidth.padded("e\u{301}", to: 3) == "e\u{301}  ")
        #expect(DisplayWidth.padded("toolong", to: 3) == "toolong")
    }

    @Test func asciiOnlyEscapesEverythingElse() {
        #expect(SafeText.sanitize("服a", asciiOnly: true) == "\\u670da")
        #expect(SafeText.sanitize("café", asciiOnly: true) == "caf\\xe9")
        #expect(SafeText.sanitize("\u{1F600}", asciiOnly: true) == "\\u1f600")
        #expect(SafeText.sanitize("plain", asciiOnly: true) == "plain")
    }
}
