import HeapModule

/// When pending matches come of age, soonest first. Entries are not removed when a process
/// leaves or its verdict changes: the core checks each one as it comes due, so a change costs
/// O(log n) instead of a search.
struct PendingMatches: Sendable {
    private struct Entry: Comparable, Sendable {
        var due: UInt64
        var identity: ProcessIdentity
        static func < (a: Entry, b: Entry) -> Bool { (a.due, a.identity) < (b.due, b.identity) }
    }

    private var heap = Heap<Entry>()

    mutating func add(_ identity: ProcessIdentity, due: UInt64) {
        heap.insert(Entry(due: due, identity: identity))
    }

    /// The earliest due time, possibly of an entry that no longer applies (one wasted wake-up).
    var next: UInt64? { heap.min?.due }

    /// Removes and returns the identities due at `now`.
    mutating func takeDue(now: UInt64) -> [ProcessIdentity] {
        var due: [ProcessIdentity] = []
        while let first = heap.min, first.due <= now {
            due.append(heap.removeMin().identity)
        }
        return due
    }
}
