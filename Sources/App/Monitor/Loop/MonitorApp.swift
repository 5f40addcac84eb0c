import Dispatch
import Engine
import Glibc

/// The monitor's run loop, on the main thread. It sleeps in `Wakeup.wait` until a key, a
/// resize, an engine update, a finished inspect read or the next highlight expiry is due, and
/// draws a frame only when something changed, at most every `refreshMillis` for engine
/// updates. Input never waits for a scan, nor for an inspect read.
final class MonitorApp {
    private let engine: DiscoveryEngine
    private let criteria: Criteria

    init(options: EngineOptions) {
        engine = DiscoveryEngine(options: options)
        criteria = options.criteria
    }

    /// Runs until `q` or a signal; the terminal is restored on every way out.
    func run() throws {
        let terminal = try Terminal()
        defer { terminal.restore() }
        let wakeup = try Wakeup()
        let stop = StopFlag()
        // Writes to the terminal never raise SIGPIPE (a gone terminal gives EIO, seen as a hang-up);
        // only a socket or pipe whose reader went away does, and that is an error to handle where
        // the write returns EPIPE, never a reason to die with the terminal in curses mode.
        signal(SIGPIPE, SIG_IGN)
        let signals = DispatchQueue(label: "discotop.signals")
        Shutdown.onSignals([SIGINT, SIGTERM, SIGHUP], queue: signals) {
            stop.set()
            wakeup.signal()
        }
        // SIGWINCH can land on any thread (dispatch workers too), so curses' own handler may
        // never see it; the loop asks the terminal for its size when woken.
        Shutdown.onSignals([SIGWINCH], queue: signals) { wakeup.signal() }
        let mailbox = Mailbox(wakeup: wakeup)
        let reader = InspectionReader(wakeup: wakeup)
        engine.start { mailbox.post($0) }
        defer { engine.stop() }

        var state = MonitorState()
        state.baseCriteria = criteria
        state.request(criteria)
        var dirty = true
        var full = true
        var keyed = false
        var lastFrame: UInt64 = 0
        while !stop.isSet, !terminal.hungUp {
            // Every key curses has, not one per wake-up: a paste or an escape sequence comes at once.
            while let key = terminal.readKey(milliseconds: 0) {
                let reaction = state.handle(key)
                if reaction.quit { return }
                if let criteria = reaction.criteria { engine.setCriteria(criteria) }
                if let record = reaction.inspect {
                    reader.read(record, verdict: state.engine.verdicts[record.identity], criteria: state.engine.criteria)
                }
                keyed = keyed || reaction.redraw
                dirty = dirty || reaction.redraw
                full = full || reaction.fullRedraw
            }
            if terminal.followWindowSize() {
                keyed = true
                dirty = true
                full = true
            }
            let now = WallClock.now()
            if !state.paused, let update = mailbox.take() {
                state.apply(update, at: now)
                dirty = true
            }
            if let inspection = reader.take() {
                state.deliver(inspection)
                keyed = true
                dirty = true
            }
            if state.expire(at: now) { dirty = true }
            if let expiry = state.nextExpiry(after: lastFrame), expiry <= now { dirty = true }
            let nextFrame = lastFrame &+ UInt64(state.refreshMillis) * 1_000_000
            if dirty, keyed || now >= nextFrame {
                state.now = now
                let (width, height) = terminal.size
                let frame = MonitorRenderer.render(state, width: width, height: height, asciiOnly: !terminal.isUTF8)
                state.remember(frame)
                terminal.draw(frame.grid, cursor: frame.cursor, full: full)
                dirty = false
                full = false
                keyed = false
                lastFrame = now
            }
            // Sleep until the throttled frame is due, else until the next highlight fades.
            let due = dirty ? nextFrame : state.nextExpiry(after: now)
            let timeout = due.map { Int(($0 &- min($0, now)) / 1_000_000) + 1 }
            if wakeup.wait(input: 0, milliseconds: timeout) == .hangUp { return }
        }
    }
}

/// Engine updates waiting for the UI thread: the newest state and every event since the last take.
final class Mailbox: Sendable {
    private let pending = Locked<EngineUpdate?>(nil)
    private let wakeup: Wakeup

    init(wakeup: Wakeup) {
        self.wakeup = wakeup
    }

    func post(_ update: EngineUpdate) {
        let wasEmpty = pending.withLock { pending in
            guard var merged = pending else {
                pending = update
                return true
            }
            merged.events += update.events
            // A paused or slow UI must not hoard events: the panes keep only the newest anyway.
            if merged.events.count > 5000 { merged.events.removeFirst(merged.events.count - 5000) }
            merged.state = update.state
            pending = merged
            return false
        }
        // One wake-up per batch the loop has not taken yet.
        if wasEmpty { wakeup.signal() }
    }

    func take() -> EngineUpdate? {
        pending.withLock { pending in
            defer { pending = nil }
            return pending
        }
    }
}

final class StopFlag: Sendable {
    private let value = Locked(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
