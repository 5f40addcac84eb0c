/// What `/proc` says about a process beyond what discovery keeps: where it runs and whether it
/// exports with an OpenTelemetry SDK. `list --json` reads it for each process it prints; `watch`
/// does not, as the process may be gone by the time a line is written.
public struct ProcessSurroundings: Sendable {
    public var placement: CgroupPlacement?
    /// The sign of its own OpenTelemetry exporter (`OTEL_EXPORTER_OTLP_ENDPOINT`), if any.
    public var otelExport: String?

    public init(placement: CgroupPlacement? = nil, otelExport: String? = nil) {
        self.placement = placement
        self.otelExport = otelExport
    }

    public static func read(pid: Int32, procRoot: String = "/proc") -> ProcessSurroundings {
        ProcessSurroundings(placement: CgroupPlacement.read(pid: pid, procRoot: procRoot), otelExport: OTelExport.evidence(pid: pid, procRoot: procRoot))
    }

    /// Each pid's, in order: two small reads a process, spread over the cores as a scan's are.
    public static func read(pids: [Int32], procRoot: String = "/proc") -> [ProcessSurroundings] {
        Parallel.chunks(pids) { chunk in chunk.map { read(pid: $0, procRoot: procRoot) } }.flatMap { $0 }
    }
}
