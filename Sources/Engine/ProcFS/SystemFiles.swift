import CLinux
import Glibc

/// Thin, allocation-light readers over /proc. They return nil (with the errno) instead of
/// throwing because a vanished process or a denied read is ordinary data here, not a failure.
public enum SystemFiles {
    public enum Outcome<Value> {
        case value(Value)
        case failed(errno: Int32)

        public var value: Value? {
            if case .value(let v) = self { return v }
            return nil
        }
    }

    /// Reads a whole procfs file relative to `directory` (an fd or AT_FDCWD); `limit` only for
    /// callers that want a prefix (a comm). Whole by default: a 1 MiB cap once cut
    /// /proc/net/tcp at about 6,800 sockets, a JVM's maps and a long cmdline, without a word.
    public static func read(_ path: String, relativeTo directory: Int32 = AT_FDCWD, limit: Int = .max) -> Outcome<[UInt8]> {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failed(errno: errno) }
        defer { close(fd) }
        // Into malloc'd, uninitialised memory grown by doubling: most of these files are a
        // few hundred bytes, and a zero-filled 64 KiB chunk per call cost `list --json` at
        // 10,000 processes 1.3 GB of memset for its cgroup and environ reads.
        var capacity = min(limit, 4096)
        guard var buffer = malloc(capacity) else { return .failed(errno: ENOMEM) }
        defer { free(buffer) }
        var filled = 0
        while filled < limit {
            if filled == capacity {
                let larger = min(limit, capacity * 2)
                guard let grown = realloc(buffer, larger) else { return .failed(errno: ENOMEM) }
                buffer = grown
                capacity = larger
            }
            let count = Glibc.read(fd, buffer + filled, capacity - filled)
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(errno: errno)
            }
            if count == 0 { break }
            filled += count
        }
        return .value(Array(UnsafeRawBufferPointer(start: buffer, count: filled)))
    }

    public static func readText(_ path: String, relativeTo directory: Int32 = AT_FDCWD) -> String? {
        read(path, relativeTo: directory).value.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The target of a symbolic link as raw bytes (paths need not be UTF-8).
    public static func readLink(_ path: String, relativeTo directory: Int32 = AT_FDCWD) -> Outcome<[UInt8]> {
        // Uninitialised scratch: a zero-filled PATH_MAX array per call was 40 MB of memset for
        // the executables of 10,000 processes.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PATH_MAX)) { buffer in
            let count = readlinkat(directory, path, buffer.baseAddress!, buffer.count)
            guard count >= 0 else { return .failed(errno: errno) }
            return .value(Array(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count)))
        }
    }

    /// Parses the number inside `prefix[N]`, as in `socket:[123]` or `net:[4026531840]`.
    @inline(__always)
    static func bracketedNumber(_ bytes: UnsafeBufferPointer<UInt8>, prefixLength: Int) -> UInt64? {
        guard bytes.count > prefixLength + 2, bytes[prefixLength - 1] == UInt8(ascii: "["),
              bytes[bytes.count - 1] == UInt8(ascii: "]") else { return nil }
        var value: UInt64 = 0
        for i in prefixLength..<(bytes.count - 1) {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
        }
        return value
    }
}

/// Reads directory entries with getdents64 into a reused buffer.
enum DirectoryEntries {
    /// Calls `body(name, d_type)` for each entry of the open directory `fd`.
    static func forEach(in fd: Int32, _ body: (UnsafePointer<CChar>, UInt8) -> Void) {
        withUnsafeTemporaryAllocation(byteCount: 32 * 1024, alignment: 8) { buffer in
            while true {
                let count = discotop_getdents64(fd, buffer.baseAddress, UInt(buffer.count))
                guard count > 0 else { return }
                var offset = 0
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                while offset < count {
                    let record = buffer.baseAddress! + offset
                    let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                    guard length > 0 else { return }
                    body((record + 19).assumingMemoryBound(to: CChar.self), record.load(fromByteOffset: 18, as: UInt8.self))
                    offset += length
                }
            }
        }
    }

    /// The decimal number a name spells, or nil (".", "..", "self").
    @inline(__always)
    static func number(_ name: UnsafePointer<CChar>) -> Int32? {
        var value: Int32 = 0
        var index = 0
        while name[index] != 0 {
            let digit = UInt8(bitPattern: name[index]) &- UInt8(ascii: "0")
            guard digit < 10, index < 10 else { return nil }
            value = value &* 10 &+ Int32(digit)
            index += 1
        }
        return index > 0 ? value : nil
    }
}
