import Engine

/// What `list --json` reads for each process beyond the scan: where it runs and whether it
/// exports with an OpenTelemetry SDK. Read for `list` only: by the time a `watch` line is
/// written the process may be gone.
struct ListedExtras {
    var placement: CgroupPlacement?
    /// The sign of its own OpenTelemetry exporter (`OTEL_EXPORTER_OTLP_ENDPOINT`), if any.
    var otelExport: String?

    static func read(pid: Int32) -> ListedExtras {
        ListedExtras(placement: CgroupPlacement.read(pid: pid), otelExport: OTelExport.evidence(pid: pid))
    }

    func write(verdict: MatchVerdict, criteria: Criteria, to o: inout JSONWriter) {
        o.key("cgroup"); o.optional(placement?.path) { $0.string($1) }
        o.key("container_id"); o.optional(placement?.containerID) { $0.string($1) }
        o.key("container_runtime"); o.optional(placement?.runtime) { $0.string($1.rawValue) }
        o.key("systemd_unit"); o.optional(placement?.systemdUnit) { $0.string($1) }
        o.key("otel_sdk"); o.optional(otelExport) { $0.string($1) }
        // OBI still instruments such a process; it leaves out what the SDK already sends.
        let dropped = verdict.matched && otelExport != nil ? criteria.otelInstrumented.dropped : []
        o.key("obi_drops"); o.array { a in for signal in dropped { a.string(signal) } }
    }
}
