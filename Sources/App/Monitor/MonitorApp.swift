import Dispatch
import Engine
import Glibc

/// The monitor's run loop, on the main thread: keys are read with a short timeout, engine
/// updates arrive through a mailbox (the engine runs on its own queue), and a frame is drawn
/// only when something changed, at most every `refreshMillis` for engine updates. Input never
/// waits for a scan.
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
        let stop = StopFlag()
        // Writes to the terminal never raise SIGPIPE (a gone terminal gives EIO, seen as a hang-up);
        // only a socket or pipe whose reader went away does, and that is an error to handle where
        // the write returns EPIPE, never a reason to die with the terminal in curses mode.
        signal(SIGPIPE, SIG_IGN)
        Shutdown.onSignals([SIGINT, SIGTERM, SIGHUP], queue: DispatchQueue(label: "discotop.signals")) { stop.set() }
        let mailbox = Mailbox()
        engine.start { mailbox.post($0) }
        defer { engine.stop() }

        var state = MonitorState()
        state.baseCriteria = criteria
        state.engine.criteria = criteria
        var dirty = true
        var full = true
        var lastFrame: UInt64 = 0
        var lastTick: UInt64 = 0
        while !stop.isSet, !terminal.hungUp {
            var keyed = false
            if let key = terminal.readKey(milliseconds: 30) {
                let reaction = state.handle(key)
                if reaction.quit { break }
                if let criteria = reaction.criteria {
                    engine.setCriteria(criteria)
                    state.engine.criteria = criteria
                }
                keyed = reaction.redraw
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
            // Highlights and tombstones fade with time: redraw once a second while any show.
            if now &- lastTick >= 1_000_000_000 {
                lastTick = now
                if state.expire(at: now) || state.hasLiveHighlights { dirty = true }
            }
            let due = keyed || now &- lastFrame >= UInt64(state.refreshMillis) * 1_000_000
            guard dirty, due else { continue }
            state.now = now
            let (width, height) = terminal.size
            let frame = MonitorRenderer.render(state, width: width, height: height, asciiOnly: !terminal.isUTF8)
            state.pageRows = frame.pageRows
            state.helpShown = frame.help
            terminal.draw(frame.grid, cursor: frame.cursor, full: full)
            dirty = false
            full = false
            lastFrame = now
        }
    }
}

/// Engine updates waiting for the UI thread: the newest state and every event since the last take.
final class Mailbox: Sendable {
    private let pending = Locked<EngineUpdate?>(nil)

    func post(_ update: EngineUpdate) {
        pending.withLock { pending in
            guard var merged = pending else {
                pending = update
                return
            }
            merged.events += update.events
            // A paused or slow UI must not hoard events: the panes keep only the newest anyway.
            if merged.events.count > 5000 { merged.events.removeFirst(merged.events.count - 5000) }
            merged.state = update.state
            pending = merged
        }
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
