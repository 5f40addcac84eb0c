import ArgumentParser
import Engine

/// The criteria options every mode shares.
struct CriteriaOptions: ParsableArguments {
    @Option(name: [.customShort("p"), .customLong("open-ports")],
            help: "Ports or ranges to match, e.g. 8080,8000-8999 (Beyla's open_port).")
    var openPorts: String?

    @Option(name: .customLong("exe-path"), help: "Regular expression the executable path must contain a match of.")
    var exePath: String?

    /// Bad criteria exit with status 2 and a message naming the bad item, not the parser's
    /// generic usage error (64): scripts tell "you typed a bad range" apart this way.
    mutating func validate() throws {
        _ = try resolved()
    }

    func resolved() throws -> Criteria {
        do {
            return Criteria(
                openPorts: try openPorts.flatMap { text throws(PortRangeError) in try PortRanges.parseOptional(text) },
                exePath: try exePath.map { text throws(ExePathPattern.Invalid) in try ExePathPattern(text) })
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
