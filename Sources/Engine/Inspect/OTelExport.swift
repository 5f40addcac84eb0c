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
    public static func evidence(environ bytes: [UInt8]) -> String? {
        var variables: [Substring: Substring] = [:]
        for entry in String(decoding: bytes, as: UTF8.self).split(separator: "\0") {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            variables[entry[..<equals]] = entry[entry.index(after: equals)...]
        }
        for sign in signs {
            guard let value = variables[Substring(sign.variable)], !value.isEmpty else { continue }
            if let wanted = sign.value, !value.lowercased().contains(wanted) { continue }
            return sign.variable
        }
        return nil
    }

    /// Reads the process's environment (root, or the same user); nil when unreadable or no sign.
    public static func evidence(pid: Int32, procRoot: String = "/proc") -> String? {
        SystemFiles.read("\(procRoot)/\(pid)/environ").value.flatMap { evidence(environ: $0) }
    }
}
