import ArgumentParser
import Engine

/// The criteria options every mode shares, resolved with the environment and a config file.
struct CriteriaOptions: ParsableArguments {
    @Option(name: [.customShort("p"), .customLong("open-ports")],
            help: "Ports or ranges to match, e.g. 8080,8000-8999 (Beyla's open_port; replaces the file's and the environment's).")
    var openPorts: String?

    @Option(name: .customLong("exe-path"), help: "Regular expression the executable path must contain a match of (Beyla's executable_name).")
    var exePath: String?

    @Option(name: .customLong("config"), help: "A Beyla or OpenTelemetry eBPF Instrumentation YAML file whose discovery selectors to apply (- reads standard input).",
            completion: .file(extensions: ["yml", "yaml"]))
    var config: String?

    /// Bad criteria exit with status 2 and a message naming the bad item, not the parser's
    /// generic usage error (64): scripts tell "you typed a bad range" apart this way.
    mutating func validate() throws {
        // The durations wait for run(): --poll-interval, which may replace the file's, is not
        // known here.
        _ = try resolved(pollInterval: nil, checkingDurations: false)
    }

    /// The criteria from the command line, the environment (BEYLA_*, OTEL_EBPF_*) and the file.
    /// Warnings go to stderr; `pollInterval` is the command line's, if given. The durations the
    /// engine will use are checked against DurationLimits unless `checkingDurations` is false.
    func resolved(pollInterval: Double?, reportWarnings: Bool = false, checkingDurations: Bool = true) throws -> CriteriaSources.Resolved {
        do {
            var sources = CriteriaSources()
            // Blank is an error here, unlike an empty BEYLA_OPEN_PORT: `-p "$PORTS"` with PORTS
            // unset would otherwise quietly drop the port criterion the script asked for.
            sources.commandLinePorts = try openPorts.map { text throws(PortRangeError) in try PortRanges(parsing: text) }
            sources.commandLineExe = try exePath.map { text throws(RegexPattern.Invalid) in try RegexPattern(text) }
            sources.commandLinePollInterval = pollInterval
            sources.environment = try ConfigEnvironment.read()
            if let config { sources.file = try ConfigFile.load(path: config) }
            let resolved = sources.resolve()
            if checkingDurations { try DurationLimits.check(resolved, from: sources) }
            if reportWarnings { for warning in resolved.warnings { Diagnostics.note(warning) } }
            return resolved
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
