import Engine
import Foundation
import Glibc
import XCTest

final class WallClockTests: XCTestCase {
    /// A kernel time converted to wall time must not come out before a wall reading taken
    /// ahead of it. With the offset read as two plain clock readings, a thread preempted
    /// between them dated events up to a time slice early: the soak saw a `deleted` line
    /// dated before the process's own last log line. Spinning threads make preemption likely.
    func testConvertedTimeNeverPrecedesEarlierWallReading() {
        let stop = Locked(false)
        let spinners = (0..<4).map { _ in
            Thread {
                var x = 0
                while !stop.withLock({ $0 }) { for _ in 0..<10_000 { x &+= 1 } }
                _ = x
            }
        }
        spinners.forEach { $0.start() }
        defer { stop.withLock { $0 = true } }

        var worst: Int64 = 0
        let deadline = Date().addingTimeInterval(1.5)
        while Date() < deadline {
            for _ in 0..<1_000 {
                let wallBefore = Int64(bitPattern: WallClock.now())
                let converted = Int64(bitPattern: WallClock.fromMonotonic(MonotonicClock.nanos()))
                worst = max(worst, wallBefore - converted)
            }
        }
        // Half of the widest bracket accepted without a retry, plus slack for the last retry.
        XCTAssertLessThan(worst, 200_000, "a converted time came out \(worst) ns before a wall reading taken ahead of it")
    }

    /// RFC 3339 as `date -u` (strftime) writes it, with the microseconds, at dates that
    /// exercise every field's width; and `parseRFC3339` reads it back.
    func testRFC3339IsStrftimesWithMicroseconds() {
        let samples: [UInt64] = [0, 1_000, 999_999_999, 1_796_238_882_885_244_123, 951_782_400_000_001_000, 4_102_444_799_999_999_000]
        for nanos in samples {
            var seconds = time_t(nanos / 1_000_000_000)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            var buffer = [CChar](repeating: 0, count: 64)
            let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
            let expected = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                + String(format: ".%06dZ", Int((nanos % 1_000_000_000) / 1000))
            XCTAssertEqual(WallClock.rfc3339(nanos), expected)
            XCTAssertEqual(WallClock.parseRFC3339(WallClock.rfc3339(nanos)), nanos / 1000 * 1000)
        }
    }
}
