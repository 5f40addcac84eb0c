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
}
