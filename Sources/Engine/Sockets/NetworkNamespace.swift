import CLinux
import Glibc

/// Runs code with the calling thread inside another process's network namespace.
enum NetworkNamespace {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Enters the namespace of `pid`, runs `body`, and comes back before returning. `setns`
    /// changes only the calling thread, and a netlink socket opened inside keeps answering for
    /// that namespace afterwards, so the excursion is as short as one `socket()` call.
    static func run<T>(inNamespaceOf pid: Int32, procRoot: String, _ body: () throws -> T) throws -> T {
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard home >= 0 else { throw Failure(description: "open own netns: \(String(cString: strerror(errno)))") }
        defer { close(home) }
        let target = open("\(procRoot)/\(pid)/ns/net", O_RDONLY | O_CLOEXEC)
        guard target >= 0 else { throw Failure(description: "open netns of pid \(pid): \(String(cString: strerror(errno)))") }
        defer { close(target) }
        guard discotop_enter_netns(target) == 0 else {
            throw Failure(description: "setns into netns of pid \(pid): \(String(cString: strerror(errno)))")
        }
        defer {
            // Staying in a foreign namespace would silently skew every later read on this thread.
            if discotop_enter_netns(home) != 0 { fatalError("discotop: cannot return to own network namespace") }
        }
        return try body()
    }

    /// Inode of the calling process's network namespace.
    static func own(procRoot: String) -> UInt64? {
        of(path: "\(procRoot)/self/ns/net")
    }

    /// Inode of `pid`'s network namespace, when readable.
    static func of(pid: Int32, procRoot: String) -> UInt64? {
        of(path: "\(procRoot)/\(pid)/ns/net")
    }

    private static func of(path: String) -> UInt64? {
        guard case .value(let bytes) = SystemFiles.readLink(path) else { return nil }
        return bytes.withUnsafeBufferPointer { SystemFiles.bracketedNumber($0, prefixLength: 5) }
    }
}
