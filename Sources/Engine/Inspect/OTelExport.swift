import CLinux

/// Whether a process is set up to export with an OpenTelemetry SDK, as far as /proc shows it.
///
/// OBI decides this at run time from the requests it instruments: once a picked process makes
/// a successful client call that is an OTLP export (an HTTP path ending in `/v1/metrics` or
/// `/v1/traces`; a gRPC call to `MetricsService/Export` or `TraceService/Export`, on
/// `default_otlp_grpc_port`, 4317, when the process's environment names no endpoint), OBI stops
/// sending that signal for it and counts it in `obi_avoided_services`. The process stays
/// instrumented. discotop sees no requests; it reads what the SDKs are configured by, the
/// process's environment. A process that exports through an endpoint set in code shows nothing
/// here, and one with these variables but no SDK is reported all the same.
public enum OTelExport {
    /// Variables that only an OTLP exporter reads, and what value of them means one is in use
    /// (nil: any value).
    static let signs: [(variable: String, value: String?)] = [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", nil), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", nil),
        ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", nil), ("OTEL_TRACES_EXPORTER", "otlp"), ("OTEL_METRICS_EXPORTER", "otlp"),
        // The Java agent is the SDK, loaded into any JVM the variable reaches.
        ("JAVA_TOOL_OPTIONS", "opentelemetry-javaagent"),
    ]

    /// The first sign in `/proc/PID/environ`'s bytes, e.g. `OTEL_EXPORTER_OTLP_ENDPOINT`; nil when none.
    /// A variable set twice counts with its last value, as getenv's callers see it. Read as
    /// bytes: `list --json` asks this of every process, and most environments hold no sign.
    public static func evidence(environ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { environ in
            guard prefixes.contains(where: { holds(environ, $0) }) else { return nil }
            for sign in signs {
                guard let value = lastValue(of: Array(sign.variable.utf8), in: environ), !value.isEmpty else { continue }
                if let wanted = sign.value, !String(decoding: value, as: UTF8.self).lowercased().contains(wanted) { continue }
                return sign.variable
            }
            return nil
        }
    }

    /// What every sign's variable starts with: one memmem each rules out an environment.
    private static let prefixes: [[UInt8]] = [Array("OTEL_".utf8), Array("JAVA_TOOL_OPTIONS=".utf8)]

    private static func holds(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        needle.withUnsafeBufferPointer { memmem(haystack.baseAddress, haystack.count, $0.baseAddress, $0.count) != nil }
    }

    /// The value of the last `name=value` entry for `name` among the NUL-separated entries.
    private static func lastValue(of name: [UInt8], in environ: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>.SubSequence? {
        var found: UnsafeBufferPointer<UInt8>.SubSequence?
        for entry in environ.split(separator: 0, omittingEmptySubsequences: true)
        where entry.count > name.count && entry[entry.startIndex + name.count] == UInt8(ascii: "=") && entry.starts(with: name) {
            found = entry[(entry.startIndex + name.count + 1)...]
        }
        return found
    }

    /// Reads the process's environment (root, or the same user); nil when unreadable or no sign.
    public static func evidence(pid: Int32, procRoot: String = "/proc") -> String? {
        SystemFiles.read("\(procRoot)/\(pid)/environ").value.flatMap { evidence(environ: $0) }
    }
}
