import Engine

/// The fields of a listed process that `ProcessSurroundings` reads.
enum SurroundingsJSON {
    static func write(_ surroundings: ProcessSurroundings, verdict: MatchVerdict, criteria: Criteria, to o: inout JSONWriter) {
        let placement = surroundings.placement
        o.key("cgroup"); o.optional(placement?.path) { $0.string($1) }
        o.key("container_id"); o.optional(placement?.containerID) { $0.string($1) }
        o.key("container_runtime"); o.optional(placement?.runtime) { $0.string($1.rawValue) }
        o.key("systemd_unit"); o.optional(placement?.systemdUnit) { $0.string($1) }
        o.key("otel_sdk"); o.optional(surroundings.otelExport) { $0.string($1) }
        // OBI still instruments such a process; it leaves out what the SDK already sends.
        let dropped = verdict.matched && surroundings.otelExport != nil ? criteria.otelInstrumented.dropped : []
        o.key("obi_drops"); o.array { a in for signal in dropped { a.string(signal) } }
    }
}
