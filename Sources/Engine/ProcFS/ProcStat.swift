import Glibc

/// The fields discotop uses from `/proc/PID/stat`.
public struct ProcStat: Sendable, Equatable {
    public var pid: Int32
    /// Raw `comm` bytes: up to 15 bytes, any value but NUL (a process may name itself anything).
    public var comm: [UInt8]
    public var state: Character
    public var ppid: Int32
    /// The kernel's `PF_*` task flags.
    public var flags: UInt32
    /// User and system CPU time in clock ticks.
    public var utime: UInt64
    public var stime: UInt64
    /// Start time in clock ticks since boot: with the pid, the identity of a process.
    public var startTime: UInt64
    /// Resident set size in pages.
    public var rssPages: UInt64

    /// PF_KTHREAD (include/linux/sched.h): a kernel thread has no user space and no file
    /// table, so it holds no sockets; unprivileged, /proc denies its fds like any root process's.
    public var isKernelThread: Bool { flags & 0x0020_0000 != 0 }

    /// Reads and parses `path` (`PID/stat` under a /proc fd, or a whole path with AT_FDCWD).
    static func read(_ path: UnsafePointer<CChar>, relativeTo directory: Int32) -> ProcStat? {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            // procfs renders stat in one go, far below 4 KiB: one read is the whole file.
            guard count > 0 else { return nil }
            return parse(buffer: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Parses the file's bytes. `comm` sits between the first `(` and the *last* `)` because a
    /// comm may itself hold `)` and spaces, e.g. `12 ((a b) c)) S 1 ...`. A byte scan with no
    /// intermediate strings: a scan parses one of these per listening process.
    public static func parse(_ bytes: some Collection<UInt8>) -> ProcStat? {
        let data = Array(bytes)
        return data.withUnsafeBufferPointer(parse(buffer:))
    }

    static func parse(buffer data: UnsafeBufferPointer<UInt8>) -> ProcStat? {
        guard let open = data.firstIndex(of: UInt8(ascii: "(")),
              let close = data.lastIndex(of: UInt8(ascii: ")")), close > open,
              let pid = decimal(data, from: 0, to: open, trimming: true), pid <= Int32.max
        else { return nil }
        // Fields after ")" start at field 3 (state); collect the ones we use by number.
        var values = [UInt64](repeating: 0, count: 25)
        var state: Character = "?"
        var field = 3
        var index = close + 1
        while index < data.count, field <= 24 {
            while index < data.count, data[index] == UInt8(ascii: " ") { index += 1 }
            let start = index
            while index < data.count, data[index] != UInt8(ascii: " "), data[index] != UInt8(ascii: "\n") { index += 1 }
            guard index > start else { break }
            switch field {
            case 3:
                state = Character(Unicode.Scalar(data[start]))
            case 24 where data[start] == UInt8(ascii: "-"):
                values[24] = 0  // rss can read -1 for a dying process
            case 4, 9, 14, 15, 22, 24:
                guard let value = decimal(data, from: start, to: index, trimming: false) else { return nil }
                values[field] = value
            default:
                break
            }
            field += 1
        }
        guard field > 24, values[4] <= UInt64(Int32.max), values[9] <= UInt64(UInt32.max) else { return nil }
        return ProcStat(
            pid: Int32(pid), comm: Array(data[(open + 1)..<close]), state: state, ppid: Int32(values[4]), flags: UInt32(values[9]),
            utime: values[14], stime: values[15], startTime: values[22], rssPages: values[24])
    }

    private static func decimal(_ data: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, trimming: Bool) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        for index in start..<end {
            let byte = data[index]
            if trimming, byte == UInt8(ascii: " ") { continue }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10, digits < 20 else { return nil }
            value = value &* 10 &+ UInt64(digit)
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
