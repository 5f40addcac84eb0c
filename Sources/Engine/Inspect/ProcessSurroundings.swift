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
        var reader = Reader(procRoot: procRoot)
        return reader.read(pid: pid)
    }

    /// Each pid's, in order: two small reads a process, spread over the cores as a scan's are.
    public static func read(pids: [Int32], procRoot: String = "/proc") -> [ProcessSurroundings] {
        Parallel.chunks(pids) { chunk in
            var reader = Reader(procRoot: procRoot)
            return chunk.map { reader.read(pid: $0) }
        }.flatMap { $0 }
    }

    /// Reads many processes' surroundings on one thread. Processes share a handful of cgroups,
    /// so each distinct `/proc/PID/cgroup` text is parsed once: parsing it per process was a
    /// tenth of `list --json` at 10,000 processes.
    public struct Reader {
        let procRoot: String
        private var parsed: [[UInt8]: CgroupPlacement] = [:]

        public init(procRoot: String = "/proc") {
            self.procRoot = procRoot
        }

        public mutating func read(pid: Int32) -> ProcessSurroundings {
            read(pid: pid, in: nil, cgroups: nil)
        }

        /// As `read(pid:)`, through `directory` (the process's /proc/PID, open) when given, and
        /// with the cgroup file read once per css_set of `cgroups`.
        mutating func read(pid: Int32, in directory: ProcDirectory?, cgroups: (key: UInt64, known: CgroupSetCache)?) -> ProcessSurroundings {
            let placement: CgroupPlacement?
            if let cgroups, let known = cgroups.known[cgroups.key] {
                placement = known
            } else {
                let text = directory.map { SystemFiles.read("cgroup", relativeTo: $0.fd) } ?? SystemFiles.read("\(procRoot)/\(pid)/cgroup")
                placement = text.value.flatMap { parse($0) }
                // Only what was read: a process gone before its file was is no answer for the others.
                if let cgroups, text.value != nil { cgroups.known[cgroups.key] = placement }
            }
            let environ = directory.map { SystemFiles.read("environ", relativeTo: $0.fd) } ?? SystemFiles.read("\(procRoot)/\(pid)/environ")
            return ProcessSurroundings(placement: placement, otelExport: environ.value.flatMap(OTelExport.evidence(environ:)))
        }

        private mutating func parse(_ text: [UInt8]) -> CgroupPlacement? {
            if let known = parsed[text] { return known }
            let placement = CgroupPlacement.parse(String(decoding: text, as: UTF8.self))
            parsed[text] = placement
            return placement
        }
    }
}

/// The cgroup placements one scan has read, by the owners' css_set (`IteratorListener.cgroupSet`):
/// the processes of a css_set share their cgroup in every hierarchy, so the same
/// /proc/PID/cgroup text. 10,000 workers of one service cost one read instead of 10,000.
final class CgroupSetCache: Sendable {
    private let placements = Locked<[UInt64: CgroupPlacement?]>([:])

    /// The placement read for `key`: `.some(nil)` when its text named none; nil when not read
    /// yet, and for the key 0 (a css_set the kernel did not report).
    subscript(key: UInt64) -> CgroupPlacement?? {
        get { key == 0 ? nil : placements.withLock { $0[key] } }
        set {
            guard key != 0, let newValue else { return }
            placements.withLock { $0[key] = newValue }
        }
    }
}
