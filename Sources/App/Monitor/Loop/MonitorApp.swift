import CLinux
import Dispatch
import Engine
import Glibc

/// The monitor's run loop, on the main thread. It sleeps in `Wakeup.wait` until a key, a
/// resize, an engine update, a finished inspect read or the next highlight expiry is due, and
/// draws a frame only when something changed, at most every `refreshMillis` for engine
/// updates. Input never waits for a scan, nor for an inspect read.
final class MonitorApp {
    private let engine: any StateSource
    private let criteria: Criteria
    private let options: MonitorOptions

    init(options: EngineOptions, monitor: MonitorOptions = MonitorOptions()) {
        // The panes draw the state; of the events, only the kernel's go in the Bind events pane.
        var options = options
        options.lifecycleEvents = false
        engine = DiscoveryEngine(options: options)
        criteria = options.criteria
        self.options = monitor
    }

    /// The monitor of agents' state (`--connect`); `criteria` re-filter it from the start.
    init(source: any StateSource, criteria: Criteria, monitor: MonitorOptions) {
        engine = source
        self.criteria = criteria
        self.options = monitor
    }

    /// The first state: the saved preferences, then what the command line asks for.
    private func initialState() -> MonitorState {
        var state = MonitorState()
        do {
            try options.preferences?.load()?.apply(to: &state)
        } catch {
            Diagnostics.note("\(error)")
        }
        if options.tree { state.tree = true }
        // Another machine's pid is no process of this one's to signal.
        state.readonly = options.readonly || !engine.isLocal
        state.baseCriteria = criteria
        state.request(criteria)
        return state
    }

    /// Runs until `q` or a signal; the terminal is restored on every way out, and the
    /// preferences written on a clean one.
    func run() throws {
        var state = initialState()
        let terminal = try Terminal(mouse: options.mouse)
        defer {
            terminal.restore()
            savePreferences(of: state)
        }
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
        // SIGTSTP from outside (kill -TSTP) suspends as Ctrl-Z does: the terminal first.
        let suspend = StopFlag()
        Shutdown.onSignals([SIGTSTP], queue: signals) {
            suspend.set()
            wakeup.signal()
        }
        let mailbox = Mailbox(wakeup: wakeup)
        mailbox.want(state.rowsRequest)
        let reader = InspectionReader(wakeup: wakeup, source: engine)
        let exporter = StateExport(wakeup: wakeup)
        engine.start { mailbox.post($0) }
        defer { engine.stop() }

        var dirty = true
        var full = true
        var keyed = false
        var lastFrame: UInt64 = 0
        let frameLog = FrameLog()
        // When the first key since the last frame was read: the log's key → redraw.
        var keyAt: UInt64 = 0
        // Whether the code pages of the start and the first full scan were given back.
        var settled = false
        while !stop.isSet, !terminal.hungUp {
            // Every key curses has, not one per wake-up: a paste or an escape sequence comes at once.
            while let key = terminal.readKey(milliseconds: 0) {
                if frameLog != nil, keyAt == 0 { keyAt = MonotonicClock.nanos() }
                state.now = WallClock.now()
                let reaction = state.handle(key)
                if reaction.quit { return }
                if let criteria = reaction.criteria { engine.setCriteria(criteria) }
                if let record = reaction.inspect {
                    reader.read(record, verdict: state.engine.verdicts[record.identity], criteria: state.engine.criteria)
                }
                if let request = reaction.signal { _ = state.say(SignalSender.send(request)) }
                if reaction.suspend { terminal.suspend() }
                if reaction.export { exporter.write(state.engine, at: state.now) }
                keyed = keyed || reaction.redraw
                dirty = dirty || reaction.redraw
                full = full || reaction.fullRedraw
            }
            if suspend.take() {
                terminal.suspend()
                keyed = true
                dirty = true
                full = true
            }
            if terminal.followWindowSize() {
                keyed = true
                dirty = true
                full = true
            }
            let now = WallClock.now()
            let nextFrame = lastFrame &+ UInt64(state.refreshMillis) * 1_000_000
            // Engine updates are taken when their throttled frame is due, not as they come: at
            // 10,000 processes taking one costs more than a key's frame, and a key drawn
            // meanwhile shows the rows already sorted.
            // The panes' sort columns, for the states prepared from now on.
            mailbox.want(state.rowsRequest)
            var updateWaiting = false
            if !state.paused, mailbox.hasReady {
                if now >= nextFrame, let (update, prepared) = mailbox.take() {
                    state.apply(update, prepared: prepared, at: now)
                    dirty = true
                } else {
                    updateWaiting = true
                }
            }
            if let outcome = exporter.take() {
                state.now = now
                _ = state.say(outcome)
                keyed = true
                dirty = true
            }
            if let inspection = reader.take() {
                state.deliver(inspection)
                keyed = true
                dirty = true
            }
            if state.expire(at: now) { dirty = true }
            if let expiry = state.nextExpiry(after: lastFrame), expiry <= now { dirty = true }
            if dirty, keyed || now >= nextFrame {
                state.now = now
                let (width, height) = terminal.size
                let start = frameLog == nil ? 0 : MonotonicClock.nanos()
                let frame = MonitorRenderer.render(state, width: width, height: height, asciiOnly: !terminal.isUTF8)
                let rendered = frameLog == nil ? 0 : MonotonicClock.nanos()
                state.remember(frame)
                terminal.draw(frame.grid, cursor: frame.cursor, full: full)
                if let frameLog {
                    frameLog.frame(start: start, rendered: rendered, drawn: MonotonicClock.nanos(), key: keyAt, processes: state.engine.records.count)
                    keyAt = 0
                }
                dirty = false
                full = false
                keyed = false
                lastFrame = now
                // The first full scan's code (and the first frame's) runs again only at the next
                // sweep: its pages go back once that state is on screen, as the start-up's did.
                if !settled, state.engine.lastFullScan != nil {
                    _ = discotop_release_startup_text()
                    settled = true
                }
            }
            // Sleep until the throttled frame is due, else until the next highlight fades.
            let due = dirty || updateWaiting ? nextFrame : state.nextExpiry(after: now)
            let timeout = due.map { Int(($0 &- min($0, now)) / 1_000_000) + 1 }
            if wakeup.wait(input: 0, milliseconds: timeout) == .hangUp { return }
        }
    }
}

extension MonitorApp {
    /// Written on the way out, as htop writes its settings; a failure is said on stderr, once
    /// the terminal is back.
    private func savePreferences(of state: MonitorState) {
        do {
            try options.preferences?.save(MonitorPreferences(of: state))
        } catch {
            Diagnostics.note("cannot save the monitor's preferences to \(options.preferences?.path ?? "?"): \(error)")
        }
    }
}

final class StopFlag: Sendable {
    private let value = Locked(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }

    /// Whether it was set, clearing it: for a request that recurs (SIGTSTP).
    func take() -> Bool {
        value.withLock { value in
            defer { value = false }
            return value
        }
    }
}
