import Glibc

/// uid → user name through the system's passwd database (NSS), cached: one lookup per uid.
public final class UserNames: Sendable {
    private let cache = Locked<[UInt32: String]>([:])

    public init() {}

    public func name(of uid: UInt32) -> String {
        cache.withLock { cache in
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
