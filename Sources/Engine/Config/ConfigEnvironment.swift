import Glibc

/// The environment variables that choose processes, under Beyla's and OBI's names (every
/// setting has both, see `Variable`). An empty variable is ignored, as Beyla ignores it.
public struct ConfigEnvironment: Sendable {
    /// Each setting and its variables, in the order they are read: the first one set wins,
    /// except for the open ports, where every one set adds its ranges (as Beyla's parsing appends).
    public enum Variable: CaseIterable, Sendable {
        case openPort, autoTargetExe, autoTargetLanguage, executableName, pollInterval, minProcessAge, targetPID
        case serviceName, serviceNamespace, excludeOTelInstrumented, excludeOTelInstrumentedSpanMetrics

        public var names: [String] {
            switch self {
            case .openPort: ["BEYLA_OPEN_PORT", "OTEL_EBPF_OPEN_PORT"]
            // OBI also reads the Go auto-instrumentation's name for it.
            case .autoTargetExe: ["BEYLA_AUTO_TARGET_EXE", "OTEL_EBPF_AUTO_TARGET_EXE", "OTEL_GO_AUTO_TARGET_EXE"]
            case .autoTargetLanguage: ["BEYLA_AUTO_TARGET_LANGUAGE", "OTEL_EBPF_AUTO_TARGET_LANGUAGE"]
            // OBI renamed the setting: `executable_path` in its files.
            case .executableName: ["BEYLA_EXECUTABLE_NAME", "OTEL_EBPF_EXECUTABLE_PATH"]
            case .pollInterval: ["BEYLA_DISCOVERY_POLL_INTERVAL", "OTEL_EBPF_DISCOVERY_POLL_INTERVAL"]
            case .minProcessAge: ["BEYLA_MIN_PROCESS_AGE", "OTEL_EBPF_MIN_PROCESS_AGE"]
            case .targetPID: ["BEYLA_TARGET_PID", "OTEL_EBPF_TARGET_PID"]
            // OpenTelemetry's own variable first, as both read it before their own.
            case .serviceName: ["OTEL_SERVICE_NAME", "BEYLA_SERVICE_NAME", "OTEL_EBPF_SERVICE_NAME"]
            case .serviceNamespace: ["BEYLA_SERVICE_NAMESPACE", "OTEL_EBPF_SERVICE_NAMESPACE"]
            case .excludeOTelInstrumented: ["BEYLA_EXCLUDE_OTEL_INSTRUMENTED_SERVICES", "OTEL_EBPF_EXCLUDE_OTEL_INSTRUMENTED_SERVICES"]
            case .excludeOTelInstrumentedSpanMetrics:
                ["BEYLA_EXCLUDE_OTEL_INSTRUMENTED_SERVICES_SPAN_METRICS", "OTEL_EBPF_EXCLUDE_OTEL_INSTRUMENTED_SERVICES_SPAN_METRICS"]
            }
        }
    }

    /// The open ports: added to the file's `open_port`.
    public var openPorts: PortRanges?
    /// A glob on the executable path.
    public var autoTargetExe: Glob?
    /// A glob on the language.
    public var autoTargetLanguage: Glob?
    /// A regular expression on the executable path.
    public var executableName: RegexPattern?
    public var pollIntervalSeconds: Double?
    public var minProcessAgeSeconds: Double?
    /// Comma-separated pids.
    public var targetPIDs: [Int32]?
    /// The top-level selector's service identity (the file's `service_name`, `service_namespace`).
    public var serviceName: String?
    public var serviceNamespace: String?
    public var otelInstrumented = OTelInstrumentedSetting()
    /// The variables that were set, in the order read.
    public var used: [String] = []

    public init() {}

    /// Reads `variables` (the process environment by default).
    public static func read(_ variables: [String: String] = ProcessEnvironment.current()) throws(ConfigError) -> ConfigEnvironment {
        var env = ConfigEnvironment()
        func value(_ setting: Variable) -> (name: String, text: String)? {
            for name in setting.names {
                if let text = variables[name], !text.trimmingASCIISpaces().isEmpty {
                    env.used.append(name)
                    return (name, text)
                }
            }
            return nil
        }
        var ranges: [ClosedRange<UInt16>] = []
        for name in Variable.openPort.names {
            guard let text = variables[name], !text.trimmingASCIISpaces().isEmpty else { continue }
            env.used.append(name)
            ranges += try checked(name) { try PortRanges(parsing: text).ranges }
        }
        env.openPorts = ranges.isEmpty ? nil : PortRanges(ranges)
        if let (name, text) = value(.autoTargetExe) { env.autoTargetExe = try checked(name) { try Glob(text) } }
        if let (name, text) = value(.autoTargetLanguage) { env.autoTargetLanguage = try checked(name) { try Glob(text) } }
        if let (name, text) = value(.executableName) { env.executableName = try checked(name) { try RegexPattern(text) } }
        if let (name, text) = value(.pollInterval) { env.pollIntervalSeconds = try checked(name) { try GoDuration.seconds(text) } }
        if let (name, text) = value(.minProcessAge) { env.minProcessAgeSeconds = try checked(name) { try GoDuration.seconds(text) } }
        if let (name, text) = value(.targetPID) {
            var pids: [Int32] = []
            for item in text.split(separator: ",") {
                let trimmed = String(item).trimmingASCIISpaces()
                guard let pid = Int32(trimmed), pid > 0 else {
                    throw ConfigError(place: name, message: "\"\(trimmed)\" is not a process id; expected e.g. 1234,5678")
                }
                pids.append(pid)
            }
            env.targetPIDs = pids
        }
        env.serviceName = value(.serviceName)?.text
        env.serviceNamespace = value(.serviceNamespace)?.text
        if let (name, text) = value(.excludeOTelInstrumented) { env.otelInstrumented.exclude = try bool(text, name: name) }
        if let (name, text) = value(.excludeOTelInstrumentedSpanMetrics) { env.otelInstrumented.excludeSpanMetrics = try bool(text, name: name) }
        return env
    }

    /// Go's `strconv.ParseBool`, which Beyla's and OBI's environment parsing use.
    private static func bool(_ text: String, name: String) throws(ConfigError) -> Bool {
        switch text.trimmingASCIISpaces() {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: throw ConfigError(place: name, message: "\"\(text)\" is not true or false")
        }
    }

    /// Runs a parser on a variable's text; its error is reported under the variable's name.
    private static func checked<T>(_ name: String, _ parse: () throws -> T) throws(ConfigError) -> T {
        do {
            return try parse()
        } catch {
            throw ConfigError(place: name, message: "\(error)")
        }
    }
}

/// The process environment as a dictionary (no Foundation needed).
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }
}
