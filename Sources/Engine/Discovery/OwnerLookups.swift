import Dispatch

/// Looks up process owners (uid, exe), and with `surroundings` their cgroup and environment
/// too, on a concurrent queue while the caller keeps producing pids (the kernel walk of a
/// full scan); `finish` waits for them all.
final class OwnerLookups: Sendable {
    private let reader: ProcessReader
    private let surroundings: Bool
    private let queue = DispatchQueue(label: "discotop.owners", attributes: .concurrent)
    private let group = DispatchGroup()
    private let found = Locked<Found>(Found())

    struct Found {
        var owners: [Int32: ProcessReader.Owner] = [:]
        var surroundings: [Int32: ProcessSurroundings] = [:]
    }

    init(reader: ProcessReader, surroundings: Bool) {
        self.reader = reader
        self.surroundings = surroundings
    }

    /// Queues lookups for `pids`, in chunks so that dispatch overhead stays small.
    func start(_ pids: [Int32]) {
        for start in stride(from: 0, to: pids.count, by: 64) {
            let chunk = pids[start..<min(start + 64, pids.count)]
            queue.async(group: group) { [self] in
                let owners = chunk.compactMap { pid in reader.owner(of: pid).map { (pid, $0) } }
                var around = ProcessSurroundings.Reader(procRoot: reader.procRoot)
                let surroundings = surroundings ? owners.map { pid, _ in (pid, around.read(pid: pid)) } : []
                found.withLock { found in
                    for (pid, owner) in owners { found.owners[pid] = owner }
                    for (pid, placement) in surroundings { found.surroundings[pid] = placement }
                }
            }
        }
    }

    func finish() -> Found {
        group.wait()
        return found.withLock { $0 }
    }
}
