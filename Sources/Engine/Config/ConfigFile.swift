import Yams

/// What a Beyla or OpenTelemetry eBPF Instrumentation configuration file says about
/// discovery. Every other top-level key (exporters, routes, attributes...) is ignored, so a
/// real file loads unchanged; inside `discovery`, an unknown key is an error naming its line,
/// because a typo there silently changes which processes are picked.
public struct ConfigFile: Sendable {
    public var name: String
    public var openPort: PortRanges?
    /// Beyla's `executable_name`, or OBI's name for the same regular expression, `executable_path`.
    public var executableName: RegexPattern?
    /// Top-level `service_name` and `service_namespace`: the identity of the top-level selector's
    /// matches, as in Beyla and OBI.
    public var serviceName: String?
    public var serviceNamespace: String?
    /// Top-level `target_pids`: when set, Beyla instruments these processes and nothing else.
    public var targetPIDs: [Int32]?
    /// A section is nil when the file does not set it (which matters for precedence).
    public var instrument: [Selector]?
    public var excludeInstrument: [Selector]?
    public var defaultExcludeInstrument: [Selector]?
    public var services: [Selector]?
    public var excludeServices: [Selector]?
    public var defaultExcludeServices: [Selector]?
    /// `survey` selectors are validated but not used: they report without instrumenting.
    public var survey: [Selector]?
    public var pollIntervalSeconds: Double?
    public var minProcessAgeSeconds: Double?
    public var excludedSystemPaths: [String]?
    public var otelInstrumented = OTelInstrumentedSetting()
    /// Things that load but deserve a word, e.g. a `services` glob read as a glob.
    public var warnings: [String] = []

    init(name: String) {
        self.name = name
    }

    /// Reads and parses the file at `path`, or standard input when `path` is `-`.
    public static func load(path: String) throws(ConfigError) -> ConfigFile {
        let bytes = try ConfigBytes.read(path: path)
        let name = path == ConfigBytes.standardInputPath ? ConfigBytes.standardInputName : path
        return try parse(String(decoding: bytes, as: UTF8.self), name: name)
    }

    public static func parse(_ text: String, name: String) throws(ConfigError) -> ConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.yamlProblem(error, file: name)
        } catch {
            throw ConfigError(place: name, message: "not valid YAML: \(error)")
        }
        var file = ConfigFile(name: name)
        guard let root else { return file }
        let reader = NodeReader(file: name)
        guard let top = root.mapping else { throw reader.error(root, "the file must be a mapping of keys, e.g. \"discovery:\"") }
        for (keyNode, value) in try reader.pairs(top) {
            switch keyNode.string {
            case "open_port": file.openPort = try reader.ports(value, key: "open_port")
            case "executable_name", "executable_path":
                if file.executableName != nil {
                    throw reader.error(keyNode, "executable_name (Beyla's name) and executable_path (OBI's) are the same setting: give one")
                }
                file.executableName = try reader.regex(value, key: keyNode.string ?? "")
            case "service_name": file.serviceName = value.isNull ? nil : try reader.text(value, key: "service_name")
            case "service_namespace": file.serviceNamespace = value.isNull ? nil : try reader.text(value, key: "service_namespace")
            case "target_pids": file.targetPIDs = value.isNull ? nil : try reader.pids(value, key: "target_pids")
            case "discovery": try file.readDiscovery(value, reader: reader)
            default: continue
            }
        }
        return file
    }

    private mutating func readDiscovery(_ node: Node, reader: NodeReader) throws(ConfigError) {
        if node.isNull { return }
        guard let mapping = node.mapping else { throw reader.error(node, "discovery must be a mapping") }
        for (keyNode, value) in try reader.pairs(mapping) {
            let key = keyNode.string ?? ""
            switch key {
            case "instrument": instrument = try reader.selectors(value, section: key, syntax: .glob, warnings: &warnings)
            case "exclude_instrument": excludeInstrument = try reader.selectors(value, section: key, syntax: .glob, warnings: &warnings)
            case "default_exclude_instrument":
                defaultExcludeInstrument = try reader.selectors(value, section: key, syntax: .glob, warnings: &warnings)
            case "services": services = try reader.selectors(value, section: key, syntax: .regex, warnings: &warnings)
            case "exclude_services": excludeServices = try reader.selectors(value, section: key, syntax: .regex, warnings: &warnings)
            case "default_exclude_services":
                defaultExcludeServices = try reader.selectors(value, section: key, syntax: .regex, warnings: &warnings)
            case "survey": survey = try reader.selectors(value, section: key, syntax: .glob, warnings: &warnings)
            case "poll_interval": pollIntervalSeconds = try reader.duration(value, key: "discovery.poll_interval")
            case "min_process_age": minProcessAgeSeconds = try reader.duration(value, key: "discovery.min_process_age")
            case "excluded_linux_system_paths": excludedSystemPaths = try reader.strings(value, key: "discovery.excluded_linux_system_paths")
            case "exclude_otel_instrumented_services":
                otelInstrumented.exclude = try reader.bool(value, key: "discovery.\(key)")
            case "exclude_otel_instrumented_services_span_metrics":
                otelInstrumented.excludeSpanMetrics = try reader.bool(value, key: "discovery.\(key)")
            case _ where Self.beylaOnlyDiscoveryKeys.contains(key): continue
            default:
                let known = Self.discoveryKeys + Self.beylaOnlyDiscoveryKeys
                throw reader.error(keyNode, "unknown key \"\(key)\" in discovery\(Suggestion.didYouMean(key, among: known))")
            }
        }
    }

    static let discoveryKeys = [
        "instrument", "exclude_instrument", "default_exclude_instrument", "services", "exclude_services",
        "default_exclude_services", "survey", "poll_interval", "min_process_age", "excluded_linux_system_paths",
        "exclude_otel_instrumented_services", "exclude_otel_instrumented_services_span_metrics",
    ]

    /// Keys Beyla uses for its own instrumentation, not for choosing processes.
    static let beylaOnlyDiscoveryKeys: Set<String> = [
        "skip_go_specific_tracers", "bpf_pid_filter_off", "default_otlp_grpc_port", "process_context_poll_interval",
        "route_harvester_timeout", "disabled_route_harvesters", "route_harvester_advanced",
    ]

    /// YamlError's own description repeats the whole document; keep the problem and where.
    private static func yamlProblem(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return ConfigError(place: "\(file):\(mark.line)", message: "not valid YAML: \(detail), column \(mark.column)")
        default:
            return ConfigError(place: file, message: "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
    }
}

/// Edit-distance suggestions for misspelt keys (`open_port` in a selector → `open_ports`).
enum Suggestion {
    static func didYouMean(_ key: String, among candidates: some Sequence<String>) -> String {
        let best = candidates.map { ($0, distance(key, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, key.count / 4) else { return "" }
        return "; did you mean \"\(best.0)\"?"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
