import Glibc

/// The environment variables that choose processes, under Beyla's and OBI's names. An empty
/// variable is ignored, as Beyla ignores it.
public struct ConfigEnvironment: Sendable {
    /// `BEYLA_OPEN_PORT` and `OTEL_EBPF_OPEN_PORT`: added to the file's `open_port`.
    public var openPorts: PortRanges?
    /// `BEYLA_AUTO_TARGET_EXE` (or `OTEL_EBPF_AUTO_TARGET_EXE`, `OTEL_GO_AUTO_TARGET_EXE`): a glob.
    public var autoTargetExe: Glob?
    /// `BEYLA_AUTO_TARGET_LANGUAGE` (or `OTEL_EBPF_AUTO_TARGET_LANGUAGE`): a glob.
    public var autoTargetLanguage: Glob?
    /// `BEYLA_EXECUTABLE_NAME` or `OTEL_EBPF_EXECUTABLE_PATH`: a regular expression.
    public var executableName: RegexPattern?
    public var pollIntervalSeconds: Double?
    public var minProcessAgeSeconds: Double?
    /// `BEYLA_TARGET_PID` or `OTEL_EBPF_TARGET_PID`: comma-separated pids.
    public var targetPIDs: [Int32]?
    /// The variables that were set, in the order read.
    public var used: [String] = []

    public init() {}

    /// Reads `variables` (the process environment by default).
    public static func read(_ variables: [String: String] = ProcessEnvironment.current()) throws(ConfigError) -> ConfigEnvironment {
        var env = ConfigEnvironment()
        func value(_ names: String...) -> (name: String, text: String)? {
            for name in names {
                if let text = variables[name], !text.trimmingASCIISpaces().isEmpty {
                    env.used.append(name)
                    return (name, text)
                }
            }
            return nil
        }
        var ranges: [ClosedRange<UInt16>] = []
        for name in ["BEYLA_OPEN_PORT", "OTEL_EBPF_OPEN_PORT"] {
            guard let (name, text) = value(name) else { continue }
            ranges += try checked(name) { try PortRanges(parsing: text).ranges }
        }
        env.openPorts = ranges.isEmpty ? nil : PortRanges(ranges)
        if let (name, text) = value("BEYLA_AUTO_TARGET_EXE", "OTEL_EBPF_AUTO_TARGET_EXE", "OTEL_GO_AUTO_TARGET_EXE") {
            env.autoTargetExe = try checked(name) { try Glob(text) }
        }
        if let (name, text) = value("BEYLA_AUTO_TARGET_LANGUAGE", "OTEL_EBPF_AUTO_TARGET_LANGUAGE") {
            env.autoTargetLanguage = try checked(name) { try Glob(text) }
        }
        if let (name, text) = value("BEYLA_EXECUTABLE_NAME", "OTEL_EBPF_EXECUTABLE_PATH") {
            env.executableName = try checked(name) { try RegexPattern(text) }
        }
        if let (name, text) = value("BEYLA_DISCOVERY_POLL_INTERVAL", "OTEL_EBPF_DISCOVERY_POLL_INTERVAL") {
            env.pollIntervalSeconds = try checked(name) { try GoDuration.seconds(text) }
        }
        if let (name, text) = value("BEYLA_MIN_PROCESS_AGE", "OTEL_EBPF_MIN_PROCESS_AGE") {
            env.minProcessAgeSeconds = try checked(name) { try GoDuration.seconds(text) }
        }
        if let (name, text) = value("BEYLA_TARGET_PID", "OTEL_EBPF_TARGET_PID") {
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
        return env
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
