import Glibc

/// A value behind a pthread mutex: the one lock of the project.
///
/// Not Synchronization's `Mutex`: on Linux that locks with futexes from a standard library built
/// without ThreadSanitizer, so `make test-sanitizers` reported every access it guarded as a race
/// (the kernel watcher's inbox, then a test's result list in CI). pthread calls are intercepted,
/// so what this guards is both checked and proven. Guard the data itself, never an empty value
/// (`Locked<Void>`): a zero-sized value sits at the object's own address, and TSan then takes the
/// unlocked read of the object header at every call for a race with it.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
