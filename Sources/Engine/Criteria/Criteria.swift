/// Everything that decides which processes match, resolved from the command line, the
/// environment and a Beyla configuration file (see `CriteriaSources`).
///
/// Selectors are tried in order and any one may match; an exclusion that holds wins over
/// every match, as in Beyla.
public struct Criteria: Sendable, Hashable, CustomStringConvertible {
    /// The file's `instrument` (or deprecated `services`) selectors.
    public var selectors: [Selector] = []
    /// The top-level selector (`open_port`, `executable_name`, their environment variables,
    /// `-p`, `--exe-path`), tried last; the monitor's `/` prompt edits its ports.
    public var topLevel = Selector(origin: .topLevel(sources: "command line"))
    public var exclusions: [Selector] = []
    /// `default_exclude_instrument`: Beyla's own list unless a file replaces it.
    public var defaultExclusions: [Selector] = Criteria.beylaDefaultExclusions
    /// Executables under these prefixes are never matched (`excluded_linux_system_paths`).
    public var excludedSystemPaths: [String] = Criteria.beylaSystemPaths
    /// A match for a process that listens on nothing waits until it is this old (Beyla's
    /// `min_process_age`): a fresh process may be about to open its port.
    public var minProcessAgeSeconds: Double = 5

    public init() {}

    /// The single top-level selector that `-p` and `--exe-path` describe.
    public init(openPorts: PortRanges? = nil, exePath: RegexPattern? = nil) {
        topLevel.openPorts = openPorts
        topLevel.exePathRegexp = exePath
    }

    /// The selectors tried in order: the file's, then the top-level one if it tests anything.
    public var instrument: [Selector] { selectors + (topLevel.hasCriterion ? [topLevel] : []) }

    /// Exclusions in the order they are tried.
    public var allExclusions: [Selector] { exclusions + defaultExclusions }

    public var isEmpty: Bool { instrument.isEmpty }

    /// True when some selector can match a process without a listening port. Then discovery
    /// also looks at processes that listen on nothing.
    public var matchesPortless: Bool { instrument.contains(where: \.acceptsPortless) }

    /// The same criteria with the top-level ports replaced (the monitor's prompt).
    public func withTopLevelPorts(_ ports: PortRanges?) -> Criteria {
        var copy = self
        copy.topLevel.openPorts = ports
        return copy
    }

    /// One line: `open_ports=8080` for a single selector, else `3 selectors, 1 exclusion`.
    public var description: String {
        let active = instrument
        if active.isEmpty { return "none" }
        if active.count == 1, exclusions.isEmpty { return active[0].description }
        var text = "\(active.count) selector\(active.count == 1 ? "" : "s")"
        if !exclusions.isEmpty { text += ", \(exclusions.count) exclusion\(exclusions.count == 1 ? "" : "s")" }
        return text
    }

    /// Beyla's `default_exclude_instrument`: its own and other instrumenters' executables
    /// (the Kubernetes system namespaces it also lists cannot hold outside Kubernetes).
    public static let beylaDefaultExclusions: [Selector] = [
        "*beyla", "*alloy", "*ebpf-instrument", "*obi", "*otelcol", "*otelcol-contrib", "*otelcol-contrib[!/]*",
    ].enumerated().map { index, pattern in
        // The patterns are constants checked by a test; a failure here is a programming error.
        Selector(origin: .builtInDefault(index: index), exePath: .glob(try! Glob(pattern)))
    }

    public static let beylaSystemPaths = ["/lib/systemd/", "/usr/lib/systemd/", "/usr/libexec/", "/sbin/", "/usr/sbin/"]
}
