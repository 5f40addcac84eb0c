import ArgumentParser

@main
struct Discotop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discotop",
        abstract: "Which processes listen on which ports, the moment they do it.",
        discussion: """
            Port ranges use Beyla's open_port grammar: comma-separated ports or ranges, \
            e.g. 8080,8000-8999. Exit status 2 means the command line was invalid.
            """,
        version: "discotop \(DiscotopVersion.string)",
        subcommands: [ListCommand.self, WatchCommand.self]
    )
}

enum DiscotopVersion {
    static let string = "0.1.0"
}
