import Dispatch
import Glibc

/// Splits work over /proc across cores. procfs reads of different processes do not contend, so
/// on a busy host two cores halve a scan; small inputs stay on the calling thread.
enum Parallel {
    static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Runs `body` over contiguous chunks of `items`, one chunk per core once there are at least
    /// `threshold` items, and returns the chunk results in order.
    static func chunks<Item, Result>(
        _ items: [Item], threshold: Int = 512, _ body: @Sendable (ArraySlice<Item>) -> Result
    ) -> [Result] where Item: Sendable, Result: Sendable {
        let workers = items.count >= threshold ? min(cores, 8) : 1
        guard workers > 1 else { return [body(items[...])] }
        let size = (items.count + workers - 1) / workers
        let slots = Slots<Result>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { index in
            let start = min(index * size, items.count)
            slots[index] = body(items[start..<min(start + size, items.count)])
        }
        return slots.values
    }
}

/// One result slot per worker: each worker writes only its own index and the slots are read
/// after `concurrentPerform` returns, so no lock is needed. A fixed buffer, not an Array
/// property: concurrent writes through a class's Array would trip exclusivity checks.
private final class Slots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        _ = storage.deinitialize()
        storage.deallocate()
    }

    subscript(index: Int) -> Value {
        get { storage[index]! }
        set { storage[index] = newValue }
    }

    var values: [Value] { storage.map { $0! } }
}
