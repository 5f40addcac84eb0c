/// A change between two scans, as Beyla's watcher reports them.
public enum DiscoveryEvent: Sendable, Equatable {
    /// A new identity, or a known one that opened a port it did not have (Beyla's rule, so a
    /// process that starts listening late is still discovered).
    case created(ProcessRecord)
    /// The identity exited, or holds no listening socket any more.
    case deleted(ProcessRecord)
    /// Same identity, same or fewer ports, something else changed (exe after exec, comm, a port closed).
    case changed(old: ProcessRecord, new: ProcessRecord)

    public var record: ProcessRecord {
        switch self {
        case .created(let r), .deleted(let r), .changed(_, let r): r
        }
    }
}

/// Turns successive snapshots into events; keyed by identity (pid + start time), so a recycled
/// pid is a delete plus a create.
public struct SnapshotDiffer: Sendable {
    public private(set) var known: [ProcessIdentity: ProcessRecord] = [:]

    public init() {}

    /// Folds a full scan into the known state and returns what changed, deletions first.
    /// Processes that are not ready (exe not readable yet) stay out until a later scan, and a
    /// known process that is momentarily not ready keeps its last good record.
    public mutating func apply(_ snapshot: Snapshot) -> [DiscoveryEvent] {
        apply(snapshot.processes, scope: nil)
    }

    /// Folds a partial scan: `records` is everything now known about the pids in `scope`
    /// (a targeted rescan after a kernel event). Known processes outside the scope are untouched;
    /// those inside it that are missing from `records` are deleted.
    public mutating func apply(_ records: [ProcessRecord], scope: Set<Int32>?) -> [DiscoveryEvent] {
        var next: [ProcessIdentity: ProcessRecord] = [:]
        var created: [DiscoveryEvent] = []
        var changed: [DiscoveryEvent] = []
        for record in records {
            guard record.isReady else {
                if let old = known[record.identity] { next[record.identity] = old }
                continue
            }
            next[record.identity] = record
            guard let old = known[record.identity] else {
                created.append(.created(record))
                continue
            }
            if let newPorts = record.socketSet, !newPorts.isSubset(of: old.socketSet ?? []) {
                created.append(.created(record))
            } else if old.socketSet != record.socketSet || old.exe != record.exe || old.comm != record.comm
                || old.commBytes != record.commBytes || old.exeBytes != record.exeBytes {
                changed.append(.changed(old: old, new: record))
            }
        }
        var deleted: [ProcessRecord] = []
        for (identity, record) in known where next[identity] == nil {
            if let scope, !scope.contains(identity.pid) {
                next[identity] = record
            } else {
                deleted.append(record)
            }
        }
        known = next
        return deleted.sorted { $0.identity < $1.identity }.map(DiscoveryEvent.deleted) + created + changed
    }
}
