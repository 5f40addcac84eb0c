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

    /// Reads a whole (small, procfs) file relative to `directory` (an fd or AT_FDCWD).
    public static func read(_ path: String, relativeTo directory: Int32 = AT_FDCWD, limit: Int = 1 << 20) -> Outcome<[UInt8]> {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failed(errno: errno) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while result.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(errno: errno)
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return .value(result)
    }

    public static func readText(_ path: String, relativeTo directory: Int32 = AT_FDCWD) -> String? {
        read(path, relativeTo: directory).value.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The target of a symbolic link as raw bytes (paths need not be UTF-8).
    public static func readLink(_ path: String, relativeTo directory: Int32 = AT_FDCWD) -> Outcome<[UInt8]> {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let count = buffer.withUnsafeMutableBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { readlinkat(directory, path, $0.baseAddress!, $0.count) }
        }
        guard count >= 0 else { return .failed(errno: errno) }
        return .value(Array(buffer[0..<count]))
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

    /// Names of the numeric entries of a directory (pids in /proc, fds in /proc/PID/fd).
    static func numericEntries(ofDirectoryFD fd: Int32) -> [Int32] {
        guard let dir = fdopendir(fd) else {
            close(fd)
            return []
        }
        defer { closedir(dir) }
        var numbers: [Int32] = []
        while let entry = readdir(dir) {
            let value: Int32? = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                var number: Int32 = 0
                var sawDigit = false
                for byte in raw {
                    if byte == 0 { break }
                    let digit = byte &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    number = number &* 10 &+ Int32(digit)
                    sawDigit = true
                }
                return sawDigit ? number : nil
            }
            if let value { numbers.append(value) }
        }
        return numbers
    }
}
