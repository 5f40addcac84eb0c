/// The fields discotop uses from `/proc/PID/stat`.
public struct ProcStat: Sendable, Equatable {
    public var pid: Int32
    /// Raw `comm` bytes: up to 15 bytes, any value but NUL (a process may name itself anything).
    public var comm: [UInt8]
    public var state: Character
    public var ppid: Int32
    /// User and system CPU time in clock ticks.
    public var utime: UInt64
    public var stime: UInt64
    /// Start time in clock ticks since boot: with the pid, the identity of a process.
    public var startTime: UInt64
    /// Resident set size in pages.
    public var rssPages: UInt64

    /// Parses the file's bytes. `comm` sits between the first `(` and the *last* `)` because a
    /// comm may itself hold `)` and spaces, e.g. `12 ((a b) c)) S 1 ...`.
    public static func parse(_ bytes: some Collection<UInt8>) -> ProcStat? {
        let data = Array(bytes)
        guard let open = data.firstIndex(of: UInt8(ascii: "(")),
              let close = data.lastIndex(of: UInt8(ascii: ")")), close > open,
              let pid = Int32(String(decoding: data[..<open], as: UTF8.self).trimmingSpaces())
        else { return nil }
        let rest = data[(close + 1)...].split(separator: UInt8(ascii: " "))
        // rest[0] is field 3 (state); field N is rest[N - 3].
        guard rest.count >= 22,
              let ppid = Int32(field(rest[1])),
              let utime = UInt64(field(rest[11])),
              let stime = UInt64(field(rest[12])),
              let start = UInt64(field(rest[19])),
              let rss = Int64(field(rest[21]))
        else { return nil }
        return ProcStat(
            pid: pid, comm: Array(data[(open + 1)..<close]), state: field(rest[0]).first ?? "?",
            ppid: ppid, utime: utime, stime: stime, startTime: start, rssPages: UInt64(max(rss, 0)))
    }

    private static func field(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingSpaces()
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop(while: { $0 == " " || $0 == "\n" }).reversed().drop(while: { $0 == " " || $0 == "\n" }).reversed())
    }
}
