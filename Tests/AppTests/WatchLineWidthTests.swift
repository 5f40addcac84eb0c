@testable import Engine
import Testing
@testable import App

/// `watch` text pads comm by display width: what follows a CJK name starts where it does
/// after an ASCII one.
@Suite struct WatchLineWidthTests {
    @Test func columnsAfterAWideCommLineUp() {
        var wide = MonitorFixture.event(.bind, pid: 12, port: 8080)
        wide.comm = "服务器监听"
        var plain = wide
        plain.comm = "sshd"
        func protoColumn(_ event: KernelEvent) -> Int? {
            let line = WatchLine.text(TimedEvent(.kernel(event, relevant: true), time: WallClock.now()))
            return line.range(of: " tcp ").map { DisplayWidth.of(String(line[..<$0.lowerBound])) }
        }
        #expect(protoColumn(wide) != nil)
        #expect(protoColumn(wide) == protoColumn(plain))
    }
}
