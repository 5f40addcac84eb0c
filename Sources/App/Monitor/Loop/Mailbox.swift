import Dispatch
import Engine

/// Engine updates waiting for the UI thread: every event since the last take, and the newest
/// state whose rows are prepared. A state's rows are prepared on a queue of their own (sorted
/// by the columns the panes sort by, `PreparedRows`) before the UI may take it, so that at
/// 10,000 processes a frame after an update draws and does not sort.
///
/// The UI never waits for a preparation: until the newest state is prepared it takes the one
/// prepared before, with every event so far (the Bind events pane needs no sorting). Only the
/// newest state is prepared, and a state whose rows are the last prepared one's is ready at
/// once. Preparations are spaced by `minimumSpacing`, or four times as long as the last one
/// took: a host that changes all the time costs the preparer at most a fifth of a core, not
/// one sort per kernel batch.
final class Mailbox: Sendable {
    static let minimumSpacing: UInt64 = 50_000_000

    private struct Box {
        var events: [TimedEvent] = []
        var newest: EngineState?
        /// Counts the states posted; `newest` is the last.
        var posted: UInt64 = 0
        var ready: Ready?
        /// Counts the preparations made; `ready` is the last. A state prepared a second time
        /// (for more columns) is news to the UI as a new state is.
        var preparations: UInt64 = 0
        var taken: UInt64 = 0
        var request: PreparedRows.Request?
        /// A preparation is queued or under way.
        var preparing = false
        /// When the next preparation may start.
        var nextPreparation: UInt64 = 0

        var hasNews: Bool {
            guard let ready else { return false }
            return !events.isEmpty || ready.serial > taken
        }
    }

    private struct Ready {
        var state: EngineState
        var prepared: PreparedRows?
        var generation: UInt64
        var serial: UInt64
        var request: PreparedRows.Request?
    }

    private let box = Locked(Box())
    private let queue = DispatchQueue(label: "discotop.rows", qos: .userInitiated)
    private let wakeup: Wakeup

    init(wakeup: Wakeup) {
        self.wakeup = wakeup
    }

    /// The panes' sort columns now: what the next states are prepared for.
    func want(_ wanted: PreparedRows.Request) {
        let changed = box.withLock { box in
            defer { box.request = wanted }
            return box.request != wanted
        }
        if changed { schedule() }
    }

    func post(_ update: EngineUpdate) {
        let woke = box.withLock { box in
            let hadNews = box.hasNews
            box.events += update.events
            // A paused or slow UI must not hoard events: the panes keep only the newest anyway.
            if box.events.count > 5000 { box.events.removeFirst(box.events.count - 5000) }
            box.newest = update.state
            box.posted += 1
            return !hadNews && box.hasNews
        }
        // One wake-up per batch the loop has not taken yet.
        if woke { wakeup.signal() }
        schedule()
    }

    /// Queues a preparation of the newest state, unless one is queued: spaced out after the last.
    private func schedule() {
        let delay: UInt64? = box.withLock { box in
            guard !box.preparing, box.newest != nil, box.posted > (box.ready?.generation ?? 0) || box.ready?.request != box.request else {
                return nil
            }
            box.preparing = true
            let now = MonotonicClock.nanos()
            return box.nextPreparation > now ? box.nextPreparation - now : 0
        }
        guard let delay else { return }
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(delay))) { [self] in prepare() }
    }

    /// Prepares the newest state (or reuses the last preparation when its rows are the same)
    /// and makes it the one the UI takes.
    private func prepare() {
        guard let (state, generation, wanted, last) = box.withLock({ box in
            box.newest.map { ($0, box.posted, box.request, box.ready) }
        }) else { return }
        let started = MonotonicClock.nanos()
        let prepared: PreparedRows?
        var request = wanted
        if let last, last.request == request, last.state.givesSameRows(as: state) {
            prepared = last.prepared
        } else if let full = request {
            let earlier = last.flatMap { last in last.request == full ? last.prepared.map { (last.state, $0) } : nil }
            // Nothing to update from (the first state, a new criteria's): the shown orders first,
            // the rest in the next preparation, which `schedule` queues because the requests differ.
            if earlier == nil, last?.request != full.first { request = full.first }
            prepared = PreparedRows(for: state, request!, after: earlier)
        } else {
            prepared = nil
        }
        let woke = box.withLock { box in
            let hadNews = box.hasNews
            box.preparations += 1
            box.ready = Ready(state: state, prepared: prepared, generation: generation, serial: box.preparations, request: request)
            box.preparing = false
            let finished = MonotonicClock.nanos()
            box.nextPreparation = finished &+ max(Self.minimumSpacing, 4 * (finished - started))
            return !hadNews && box.hasNews
        }
        if woke { wakeup.signal() }
        // Newer states came meanwhile.
        schedule()
    }

    /// Whether there is something the UI can take now.
    var hasReady: Bool { box.withLock { $0.hasNews } }

    /// The events since the last take, with the newest prepared state and what was prepared for it.
    func take() -> (update: EngineUpdate, prepared: PreparedRows?)? {
        box.withLock { box in
            guard box.hasNews, let ready = box.ready else { return nil }
            defer {
                box.events = []
                box.taken = ready.serial
            }
            return (EngineUpdate(events: box.events, state: ready.state), ready.prepared)
        }
    }
}

extension EngineState {
    /// Whether the panes' rows from `other` are those from this state: the rows come from these
    /// alone (and the tombstones). Persistent dictionaries that share their storage compare at once.
    func givesSameRows(as other: EngineState) -> Bool {
        records == other.records && verdicts == other.verdicts && discoveredAt == other.discoveredAt
            && matchedAt == other.matchedAt && criteria == other.criteria
    }
}
