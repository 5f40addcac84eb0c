import ArgumentParser
import Engine

/// `discotop check-config FILE`: loads a Beyla/OBI file the way every mode does and prints the
/// selectors it resolves to, with the environment's part, so a user sees what will be matched
/// before running anything, with the durations the engine will use. Exit 2 when the file (or an
/// environment variable) is invalid, a duration out of range included.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a Beyla configuration file and print the selectors it resolves to.",
        discussion: "The environment (BEYLA_OPEN_PORT, BEYLA_EXECUTABLE_NAME, ...) is applied too, as every mode applies it."
    )

    @Argument(help: "The YAML file, or - for standard input.",
              completion: .file(extensions: ["yml", "yaml"]))
    var file: String

    func run() throws {
        let file: ConfigFile
        let environment: ConfigEnvironment
        do {
            file = try ConfigFile.load(path: self.file)
            environment = try ConfigEnvironment.read()
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
        var sources = CriteriaSources()
        sources.file = file
        sources.environment = environment
        let resolved = sources.resolve()
        do {
            try DurationLimits.check(resolved, from: sources)
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
        try OutputStream.standardOutput.write(Self.report(resolved, file: file, environment: environment))
        for warning in resolved.warnings { Diagnostics.note(warning) }
    }

    static func report(_ resolved: CriteriaSources.Resolved, file: ConfigFile, environment: ConfigEnvironment) -> String {
        let criteria = resolved.criteria
        var out = "\(SafeText.sanitize(file.name)): valid"
        out += resolved.selectorSection.map { " (selectors from discovery.\($0))" } ?? " (no discovery selectors)"
        out += "\n"
        if !environment.used.isEmpty { out += "environment: \(environment.used.joined(separator: ", "))\n" }
        out += "\nselectors, tried in order; any may match:\n"
        if criteria.instrument.isEmpty { out += "  none: nothing will match\n" }
        for (position, selector) in criteria.instrument.enumerated() { out += line(position, selector) }
        out += "\nexclusions (they win over every selector):\n"
        if criteria.exclusions.isEmpty { out += "  none\n" }
        for (position, selector) in criteria.exclusions.enumerated() { out += line(position, selector) }
        out += "\ndefault exclusions:\n"
        for (position, selector) in criteria.defaultExclusions.enumerated() { out += line(position, selector) }
        out += "  executables under: \(criteria.excludedSystemPaths.joined(separator: " "))\n"
        out += "\npoll_interval \(Seconds.text(resolved.pollIntervalSeconds)), min_process_age \(Seconds.text(criteria.minProcessAgeSeconds))\n"
        let dropped = criteria.otelInstrumented.dropped
        out += "processes exporting with their own OpenTelemetry SDK: still picked; OBI stops sending their "
            + (dropped.isEmpty ? "nothing (exclude_otel_instrumented_services false)" : dropped.joined(separator: ", ")) + "\n"
        if resolved.surveySelectors > 0 {
            out += "survey: \(resolved.surveySelectors) selectors, valid but not used (discotop does not survey)\n"
        }
        let unevaluated = (criteria.instrument + criteria.exclusions).filter { !$0.unevaluated.isEmpty }
        if !unevaluated.isEmpty {
            let labels = unevaluated.map(\.label).joined(separator: ", ")
            out += "note: \(labels) use Kubernetes or container attributes, not evaluated outside Kubernetes: they match nothing here\n"
        }
        return out
    }

    private static func line(_ position: Int, _ selector: Selector) -> String {
        var text = "  \(position + 1). \(SafeText.sanitize(selector.label))"
        if case .file(_, _, let line) = selector.origin { text += " (line \(line))" }
        if let namespace = selector.namespace { text += " namespace=\(SafeText.sanitize(namespace))" }
        return text + ": " + SafeText.sanitize(selector.description) + "\n"
    }
}
