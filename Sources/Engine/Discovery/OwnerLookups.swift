import Dispatch

/// Looks up process owners (uid, exe) on a concurrent queue while the caller keeps producing
/// pids; `finish` waits for them all.
final class OwnerLookups: Sendable {
    private let reader: ProcessReader
    private let queue = DispatchQueue(label: "discotop.owners", attributes: .concurrent)
    private let group = DispatchGroup()
    private let owners = Locked<[Int32: ProcessReader.Owner]>([:])

    init(reader: ProcessReader) {
        self.reader = reader
    }

    /// Queues lookups for `pids`, in chunks so that dispatch overhead stays small.
    func start(_ pids: [Int32]) {
        for start in stride(from: 0, to: pids.count, by: 64) {
            let chunk = pids[start..<min(start + 64, pids.count)]
            queue.async(group: group) { [self] in
                let found = chunk.compactMap { pid in reader.owner(of: pid).map { (pid, $0) } }
                owners.withLock { owners in for (pid, owner) in found { owners[pid] = owner } }
            }
        }
    }

    func finish() -> [Int32: ProcessReader.Owner] {
        group.wait()
        return owners.withLock { $0 }
    }
}
