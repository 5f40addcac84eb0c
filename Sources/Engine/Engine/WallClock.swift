import Glibc

/// Kernel events carry CLOCK_MONOTONIC; people read wall-clock time.
public enum WallClock {
    /// Wall-clock nanoseconds since the epoch, now.
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Converts a CLOCK_MONOTONIC reading to wall-clock nanoseconds.
    public static func fromMonotonic(_ nanos: UInt64) -> UInt64 {
        UInt64(max(0, Int64(bitPattern: nanos) + offsetFromMonotonic()))
    }

    /// Wall clock minus monotonic clock, now. The wall reading is bracketed by two monotonic
    /// ones and set against their midpoint: a thread preempted between two plain readings
    /// (a loaded two-core CI machine does that) would put every converted time that long in
    /// the past, before the event it dates. A bracket wider than `tightBracket` is read again.
    static func offsetFromMonotonic() -> Int64 {
        var best = (width: Int64.max, offset: Int64(0))
        for _ in 0..<4 {
            let before = Int64(bitPattern: MonotonicClock.nanos())
            let wall = Int64(bitPattern: now())
            let after = Int64(bitPattern: MonotonicClock.nanos())
            let width = after - before
            if width < best.width { best = (width, wall - (before + width / 2)) }
            if width <= tightBracket { break }
        }
        return best.offset
    }

    static let tightBracket: Int64 = 20_000

    /// RFC 3339 in UTC with microseconds: `2026-11-27T14:49:27.123456Z`.
    public static func rfc3339(_ nanos: UInt64) -> String {
        var seconds = time_t(nanos / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let micros = Int((nanos % 1_000_000_000) / 1000)
        // Digits straight into one buffer: `list --json` dates every process, and building the
        // text from a score of small strings was a share of its JSON time at 10,000 processes.
        // Nanoseconds in a UInt64 end in 2554: the year always has four digits.
        return String(unsafeUninitializedCapacity: 27) { out in
            func put(_ value: Int, _ width: Int, at start: Int) {
                var value = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(Int(parts.tm_year) + 1900, 4, at: 0)
            put(Int(parts.tm_mon) + 1, 2, at: 5)
            put(Int(parts.tm_mday), 2, at: 8)
            put(Int(parts.tm_hour), 2, at: 11)
            put(Int(parts.tm_min), 2, at: 14)
            put(Int(parts.tm_sec), 2, at: 17)
            put(micros, 6, at: 20)
            out[4] = UInt8(ascii: "-")
            out[7] = UInt8(ascii: "-")
            out[10] = UInt8(ascii: "T")
            out[13] = UInt8(ascii: ":")
            out[16] = UInt8(ascii: ":")
            out[19] = UInt8(ascii: ".")
            out[26] = UInt8(ascii: "Z")
            return 27
        }
    }

    /// The inverse of `rfc3339` (what another discotop wrote): nil for any other shape.
    public static func parseRFC3339(_ text: String) -> UInt64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 27, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."), bytes[26] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), let micros = number(20..<26) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        guard seconds >= 0 else { return nil }
        return UInt64(seconds) * 1_000_000_000 + UInt64(micros) * 1000
    }

    /// Local time of day with milliseconds, `14:49:27.123`, for text output.
    public static func timeOfDay(_ nanos: UInt64) -> String {
        var seconds = time_t(nanos / 1_000_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let millis = Int((nanos % 1_000_000_000) / 1_000_000)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)"
    }
}
