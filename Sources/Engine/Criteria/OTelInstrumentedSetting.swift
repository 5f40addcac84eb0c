/// OBI's `discovery.exclude_otel_instrumented_services` (default true) and its
/// `exclude_otel_instrumented_services_span_metrics` variant (default false), from the file or
/// the environment. Neither changes which processes OBI picks: they decide which signals OBI
/// stops sending for a picked process that exports with an OpenTelemetry SDK of its own (see
/// `OTelExport`), so discotop reports them next to the match instead of dropping the process.
public struct OTelInstrumentedSetting: Sendable, Hashable {
    /// nil: not set here, so the other source or OBI's default decides.
    public var exclude: Bool?
    public var excludeSpanMetrics: Bool?

    public init(exclude: Bool? = nil, excludeSpanMetrics: Bool? = nil) {
        self.exclude = exclude
        self.excludeSpanMetrics = excludeSpanMetrics
    }

    /// This setting where it says something, `other` where it does not.
    public func over(_ other: OTelInstrumentedSetting) -> OTelInstrumentedSetting {
        OTelInstrumentedSetting(exclude: exclude ?? other.exclude, excludeSpanMetrics: excludeSpanMetrics ?? other.excludeSpanMetrics)
    }

    /// What OBI stops sending for a process seen exporting with its own SDK: its metrics and
    /// traces (each once it is seen exporting that signal), and its span metrics once it is
    /// seen exporting traces.
    public var dropped: [String] {
        (exclude ?? true ? ["metrics", "traces"] : []) + (excludeSpanMetrics ?? false ? ["span_metrics"] : [])
    }
}
