import Testing

/// `discotop --help` is what a new user reads first, and bare `discotop` is the monitor: the
/// help shows the monitor's options and a few examples besides the subcommands.
@Suite struct RootHelpTests {
    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func theRootHelpShowsTheMonitorsOptionsAndExamples(arguments: [String]) throws {
        let result = try run(Binaries.discotop, arguments, environment: ["COLUMNS": "80"], timeout: 10)
        #expect(result.status == 0)
        let help = result.stdout
        for expected in ["USAGE: discotop <subcommand>", "MONITOR OPTIONS", "-p, --open-ports <open-ports>",
                         "--config <config>", "--no-ebpf", "SUBCOMMANDS:", "check-config", "EXAMPLES:",
                         "discotop -p 8000-8999", "--generate-completion-script bash"] {
            #expect(help.contains(expected), "\(expected) missing from:\n\(help)")
        }
        // The monitor's options sit before the subcommands, and only once.
        #expect(help.components(separatedBy: "--open-ports").count == 2)
        #expect(help.range(of: "MONITOR OPTIONS")!.lowerBound < help.range(of: "SUBCOMMANDS:")!.lowerBound)
        #expect(!help.split(separator: "\n").contains { $0.count > 80 }, "a line wider than 80 columns:\n\(help)")
    }

    @Test func aSubcommandsHelpIsItsOwn() throws {
        let result = try run(Binaries.discotop, ["list", "--help"], timeout: 10)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: discotop list"))
        #expect(!result.stdout.contains("MONITOR OPTIONS"))
    }
}
