import Engine

/// The durations the engine runs with, and the values it takes. One rule whatever the source
/// (the command line, BEYLA_*/OTEL_EBPF_* or the file's `discovery` section): a value outside
/// is an error naming where it came from, never quietly clamped, so what `check-config` prints
/// is what the engine uses.
enum DurationLimits {
    static let pollInterval: ClosedRange<Double> = 0.1...3600
    static let sweepInterval: ClosedRange<Double> = 1...86400
    /// Go's `time.Duration` ends at 2^63-1 ns, so Beyla reads no longer age; the matcher counts
    /// the wait in nanoseconds, and a longer one would not fit.
    static let minProcessAge: ClosedRange<Double> = 0...9_223_372_036

    struct OutOfRange: Error, CustomStringConvertible {
        var source: String
        var seconds: Double
        var range: ClosedRange<Double>
        var description: String {
            "\(source) must be between \(Self.number(range.lowerBound)) and \(Self.number(range.upperBound)) seconds, not \(Self.number(seconds))"
        }

        private static func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
        }
    }

    /// Checks the resolved durations of `sources`; the error names the source that set the value.
    static func check(_ resolved: CriteriaSources.Resolved, from sources: CriteriaSources) throws(OutOfRange) {
        let environment = sources.environment
        func inFile(_ key: String) -> String {
            sources.file.map { "discovery.\(key) in \(SafeText.sanitize($0.name))" } ?? key
        }
        if !pollInterval.contains(resolved.pollIntervalSeconds) {
            let source = sources.commandLinePollInterval != nil ? "--poll-interval"
                : environment.pollIntervalSeconds != nil ? variable(environment, "DISCOVERY_POLL_INTERVAL") : inFile("poll_interval")
            throw OutOfRange(source: source, seconds: resolved.pollIntervalSeconds, range: pollInterval)
        }
        let age = resolved.criteria.minProcessAgeSeconds
        if !minProcessAge.contains(age) {
            let source = environment.minProcessAgeSeconds != nil ? variable(environment, "MIN_PROCESS_AGE") : inFile("min_process_age")
            throw OutOfRange(source: source, seconds: age, range: minProcessAge)
        }
    }

    /// The variable that set a duration (BEYLA_ or OTEL_EBPF_ spelling, whichever was read).
    private static func variable(_ environment: ConfigEnvironment, _ suffix: String) -> String {
        environment.used.first { $0.hasSuffix(suffix) } ?? suffix
    }
}
