import Glibc

/// uid → user name through the system's passwd database (NSS), cached: one lookup per uid.
public final class UserNames: @unchecked Sendable {
    private var cache: [UInt32: String] = [:]
    private let lock = NSLockLite()

    public init() {}

    public func name(of uid: UInt32) -> String {
        lock.withLock {
            if let cached = cache[uid] { return cached }
            let name = Self.lookUp(uid) ?? String(uid)
            cache[uid] = name
            return name
        }
    }

    private static func lookUp(_ uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        guard status == 0, result != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }
}

/// A pthread mutex; the engine avoids Foundation in its hot paths.
final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
