import Engine
import NIOCore

/// `GET /v1/processes`: the `list --json` document of the latest state, rendered on a queue of
/// its own (never on the event loop, which must go on answering probes and streams) and at
/// most once per published state, however many clients ask. What each process's cgroup and
/// environment say is read once per process, not once per request: at 10,000 processes those
/// reads are most of a render.
final class ProcessDocument: Sendable {
    private struct Cache {
        var generation: UInt64?
        /// Kept as the buffer every response writes: a read costs no copy of megabytes.
        var bytes = ByteBuffer()
        /// By identity, with the executable it was read for: an exec may move a process and
        /// always replaces its environment.
        var surroundings: [ProcessIdentity: (exe: String?, value: ProcessSurroundings)] = [:]
    }

    private let documents: any AgentDocuments
    /// Serial: one render at a time, and the cache read and written in turn.
    private let queue: any WorkQueue
    private let cache = Locked(Cache())

    init(documents: any AgentDocuments, queue: any WorkQueue) {
        self.documents = documents
        self.queue = queue
    }

    /// Whether the two states have the same document. Most states a node publishes do: a
    /// fork, exec or exit of a process that holds no listener changes no record, and re-rendering
    /// for each (10 ms at 1,000 processes, 100 at 10,000) made every read of a busy node pay
    /// for one. The maps are persistent: what the engine did not change is the same storage,
    /// which the comparison skips.
    static func sameContent(_ old: EngineState, _ new: EngineState) -> Bool {
        old.lastFullScanAt == new.lastFullScanAt && old.lastFullScan == new.lastFullScan && old.criteria == new.criteria
            && old.records == new.records && old.verdicts == new.verdicts
    }

    /// The document of `state`, which is the hub's state number `generation`; nil before the
    /// first full scan. `done` runs on the document's queue.
    func render(_ state: EngineState?, generation: UInt64, done: @escaping @Sendable (ByteBuffer?) -> Void) {
        queue.run { [self] in
            guard let state, let report = state.lastFullScan else { return done(nil) }
            if let bytes = cache.withLock({ $0.generation == generation ? $0.bytes : nil }) { return done(bytes) }
            let rows = state.processes.map { ($0, state.verdicts[$0.identity] ?? .noCriteria) }
            let known = cache.withLock { $0.surroundings }
            let missing = rows.map(\.0).filter { known[$0.identity]?.exe != $0.exe }
            let read = ProcessSurroundings.read(pids: missing.map(\.pid))
            var surroundings: [ProcessIdentity: (exe: String?, value: ProcessSurroundings)] = [:]
            surroundings.reserveCapacity(rows.count)
            for (record, _) in rows { if let entry = known[record.identity], entry.exe == record.exe { surroundings[record.identity] = entry } }
            for (record, value) in zip(missing, read) { surroundings[record.identity] = (record.exe, value) }
            let bytes = documents.processList(
                rows: rows, snapshot: Snapshot(processes: state.processes, report: report), criteria: state.criteria,
                scannedAt: state.lastFullScanAt, surroundings: rows.map { surroundings[$0.0.identity]?.value ?? ProcessSurroundings() })
            // Only what the current state holds is kept: a process gone takes its entry along.
            let buffer = ByteBuffer(bytes: bytes)
            cache.withLock { $0 = Cache(generation: generation, bytes: buffer, surroundings: surroundings) }
            done(buffer)
        }
    }
}
