import Testing
@testable import App

@Suite struct CommandSuggestionTests {
    static let commands = ["monitor", "list", "watch", "check-config", "hooks", "help"]

    @Test(arguments: [("lst", "list"), ("lsit", "list"), ("List", "list"), ("moniter", "monitor"), ("wtach", "watch"),
                      ("checkconfig", "check-config"), ("chec", "check-config"), ("hoks", "hooks")])
    func aTypoFindsItsCommand(typed: String, meant: String) {
        #expect(CommandSuggestion.closest(to: typed, among: Self.commands) == meant)
    }

    @Test(arguments: ["8080", "x", "serve", "zzzz"])
    func aWordFarFromEveryCommandFindsNone(word: String) {
        #expect(CommandSuggestion.closest(to: word, among: Self.commands) == nil)
    }

    @Test func commandsAndOptionsGetNoMessage() {
        #expect(CommandSuggestion.message(for: "list", commands: Self.commands) == nil)
        #expect(CommandSuggestion.message(for: "--lst", commands: Self.commands) == nil)
    }

    @Test func distanceCountsASwapOnce() {
        #expect(CommandSuggestion.distance(Array("lsit"), Array("list")) == 1)
        #expect(CommandSuggestion.distance(Array(""), Array("list")) == 4)
    }
}
