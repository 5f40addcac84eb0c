@testable import Engine
import Glibc
import Testing
@testable import App

/// The run loop sleeps until something is due: these are the things that wake it.
@Suite struct WakeupTests {
    /// A pipe nobody writes to stands in for a terminal with no keys pressed.
    func quietInput() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        return (fds[0], fds[1])
    }

    @Test func sleepsUntilTheTimeoutWhenNothingHappens() throws {
        let wakeup = try Wakeup()
        let input = quietInput()
        defer { close(input.read); close(input.write) }
        let start = MonotonicClock.nanos()
        #expect(wakeup.wait(input: input.read, milliseconds: 50) == .timeout)
        #expect(MonotonicClock.nanos() - start >= 45_000_000)
    }

    @Test func anEngineUpdateWakesTheLoopOnceAndKeys() throws {
        let wakeup = try Wakeup()
        let input = quietInput()
        defer { close(input.read); close(input.write) }
        let mailbox = Mailbox(wakeup: wakeup)
        mailbox.post(EngineUpdate(events: [], state: EngineState()))
        mailbox.post(EngineUpdate(events: [], state: EngineState()))
        #expect(wakeup.wait(input: input.read, milliseconds: 1000) == .woken)
        // Both posts were one batch for the loop: the pipe was drained, nothing more is due.
        #expect(wakeup.wait(input: input.read, milliseconds: 0) == .timeout)
        #expect(mailbox.take() != nil)
        var byte: UInt8 = 0x71
        _ = write(input.write, &byte, 1)
        #expect(wakeup.wait(input: input.read, milliseconds: 1000) == .input)
    }

    @Test func highlightsSayWhenTheyFade() throws {
        var state = try MonitorFixture.state()
        let now = WallClock.now()
        #expect(state.nextExpiry(after: now) == nil, "what was there at the first state is not news")
        MonitorFixture.publish(&state, at: now) { $0.processes.append(MonitorFixture.record(pid: 500, ports: [5000])) }
        #expect(state.nextExpiry(after: now) == now + MonitorState.highlightNanos)
        // Faded, the highlight is redrawn once and no longer kept.
        let faded = state.expire(at: now + MonitorState.highlightNanos)
        #expect(faded)
        #expect(state.firstSeen.isEmpty)
        let again = state.expire(at: now + MonitorState.highlightNanos + 1)
        #expect(!again)
    }
}
