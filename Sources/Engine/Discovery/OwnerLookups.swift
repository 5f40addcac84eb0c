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
    private let cgroups = CgroupSetCache()

    struct Found {
        var owners: [Int32: ProcessReader.Owner] = [:]
        var surroundings: [Int32: ProcessSurroundings] = [:]
    }

    init(reader: ProcessReader, surroundings: Bool) {
        self.reader = reader
        self.surroundings = surroundings
    }

    /// Queues lookups for `owners` (each a pid with its css_set key, 0 when unknown), in chunks so
    /// that dispatch overhead stays small.
    func start(_ owners: [(pid: Int32, cgroupSet: UInt64)]) {
        for start in stride(from: 0, to: owners.count, by: 64) {
            let chunk = owners[start..<min(start + 64, owners.count)]
            queue.async(group: group) { [self] in
                var around = ProcessSurroundings.Reader(procRoot: reader.procRoot)
                var looked: [(Int32, ProcessReader.Owner, ProcessSurroundings?)] = []
                looked.reserveCapacity(chunk.count)
                for (pid, cgroupSet) in chunk {
                    ProcDirectory.with(pid: pid, procRoot: reader.procRoot) { directory in
                        guard let owner = reader.owner(of: pid, in: directory) else { return }
                        let placement = surroundings ? around.read(pid: pid, in: directory, cgroups: (cgroupSet, cgroups)) : nil
                        looked.append((pid, owner, placement))
                    }
                }
                found.withLock { found in
                    for (pid, owner, placement) in looked {
                        found.owners[pid] = owner
                        if let placement { found.surroundings[pid] = placement }
                    }
                }
            }
        }
    }

    func finish() -> Found {
        group.wait()
        return found.withLock { $0 }
    }
}
