import Glibc

/// Engine updates on their way to one slow consumer (a `watch` writer, an HTTP client): the
/// engine posts without waiting, the consumer takes on its own thread. Bounded by events: past
/// `capacity`, an update's events are counted instead of kept, and the consumer is told how many
/// it missed where they would have been. Its states are never dropped: the newest one always
/// reaches the consumer, so what it shows is whole even when its history is not.
public final class UpdateBacklog: @unchecked Sendable {
    public enum Item: Sendable {
        case update(EngineUpdate)
        /// `count` events were dropped here.
        case dropped(count: Int)
    }

    public let capacity: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let ready = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var items: [Item] = []
    private var queuedEvents = 0
    private var dropped = 0
    private var closed = false

    public init(capacity: Int = 65_536) {
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(ready, nil)
    }

    deinit {
        pthread_cond_destroy(ready)
        pthread_mutex_destroy(mutex)
        ready.deallocate()
        mutex.deallocate()
    }

    /// Never blocks on the consumer: O(1) apart from the lock.
    public func post(_ update: EngineUpdate) {
        locked {
            guard !closed else { return }
            var update = update
            if queuedEvents + update.events.count > capacity {
                dropped += update.events.count
                update.events = []
                // Only the newest state matters once events are gone: replace a state-only update.
                if case .update(let last)? = items.last, last.events.isEmpty {
                    items[items.count - 1] = .update(update)
                    return
                }
            } else if dropped > 0 {
                items.append(.dropped(count: dropped))
                dropped = 0
            }
            queuedEvents += update.events.count
            items.append(.update(update))
            pthread_cond_signal(ready)
        }
    }

    /// Everything waiting, oldest first; waits until there is something. Empty once closed.
    public func take() -> [Item] {
        locked {
            while items.isEmpty && !closed { pthread_cond_wait(ready, mutex) }
            defer {
                items.removeAll(keepingCapacity: true)
                queuedEvents = 0
            }
            if closed { return [] }
            if dropped > 0 {
                items.append(.dropped(count: dropped))
                dropped = 0
            }
            return items
        }
    }

    /// Wakes the consumer with nothing, and turns away later posts.
    public func close() {
        locked {
            closed = true
            pthread_cond_broadcast(ready)
        }
    }

    /// Events waiting now (for tests and the agent's own metrics).
    public var backlog: Int { locked { queuedEvents } }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
