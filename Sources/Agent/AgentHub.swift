import Dispatch
import Engine
import NIOCore

/// What the HTTP side reads of the engine: its latest state, and the live event stream.
///
/// `publish` runs on the engine's queue. It takes one lock, copies the state (copy-on-write:
/// no process data is copied) and hands each subscriber its lines without waiting for any.
public final class AgentHub: Sendable {
    private struct Shared {
        var state: EngineState?
        /// Counts published states whose `/v1/processes` differs from the one before: what the
        /// rendered document is of.
        var generation: UInt64 = 0
        var subscribers: [ObjectIdentifier: EventSubscriber] = [:]
    }

    private let shared = Locked(Shared())
    let metrics: AgentMetrics
    let documents: any AgentDocuments
    private let backlog: Int
    private let document: ProcessDocument
    private let renderQueue: any WorkQueue

    /// Set with `serve --allow-remote-criteria`: the one way a client changes the agent.
    let criteriaControl: CriteriaControl?

    /// `backlog`: how many bytes a stalled `/v1/events` client may fall behind before it is cut off.
    /// `renderQueue` renders the documents, one at a time: serial, so that they never take
    /// more than one of the node's cores.
    public init(
        documents: any AgentDocuments, backlog: Int, criteriaControl: CriteriaControl? = nil,
        renderQueue: any WorkQueue = DispatchQueue(label: "discotop.serve.render")
    ) {
        self.documents = documents
        self.backlog = backlog
        self.criteriaControl = criteriaControl
        metrics = AgentMetrics(version: documents.discotopVersion)
        self.renderQueue = renderQueue
        document = ProcessDocument(documents: documents, queue: renderQueue)
    }

    public func publish(_ update: EngineUpdate) {
        metrics.record(update)
        shared.withLock { shared in
            if shared.state.map({ !ProcessDocument.sameContent($0, update.state) }) ?? true { shared.generation &+= 1 }
            shared.state = update.state
            guard !shared.subscribers.isEmpty else { return }
            // Encoded once, whatever the number of clients.
            var bytes: [UInt8] = []
            for published in update.events {
                if case .kernel(_, let relevant) = published.event, !relevant { continue }
                if let line = documents.eventLine(published, state: update.state) { bytes += line }
            }
            for subscriber in shared.subscribers.values { subscriber.send(bytes) }
        }
    }

    /// The `/v1/processes` document of the latest state (nil before the first full scan), to
    /// `done` on a queue of the document's.
    func processesDocument(_ done: @escaping @Sendable (ByteBuffer?) -> Void) {
        let (state, generation) = shared.withLock { ($0.state, $0.generation) }
        document.render(state, generation: generation, done: done)
    }

    /// The latest state, or nil before the engine's first update.
    var state: EngineState? { shared.withLock { $0.state } }

    /// The first full scan is done: what the agent serves is a real picture of the node.
    var isReady: Bool { state?.lastFullScan != nil }

    /// Starts streaming to `channel`: what is known now, then every event after it. The state
    /// is taken and the subscriber joins under the lock `publish` takes, so every event is in
    /// exactly one of the two: in the state the snapshot is written from, or held by the
    /// subscriber until that snapshot has gone out. The snapshot itself (seconds at 10,000
    /// processes) is written on the render queue, outside the lock: publishing never waits for it.
    func subscribe(_ channel: any Channel) {
        let (subscriber, state) = shared.withLock { shared in
            let subscriber = EventSubscriber(channel: channel, backlog: backlog)
            shared.subscribers[ObjectIdentifier(subscriber)] = subscriber
            return (subscriber, shared.state)
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = shared.withLock { $0.subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) }
        }
        renderQueue.run { [self] in subscriber.begin(snapshot: snapshot(of: state)) }
    }

    /// The `/v1/events` clients streaming now.
    public var subscriberCount: Int { shared.withLock { $0.subscribers.count } }

    /// `created` for every process known, and `matched` for those that match, each with the time
    /// it happened, as `watch --json` wrote them then.
    private func snapshot(of state: EngineState?) -> [UInt8] {
        guard let state else { return [] }
        var bytes: [UInt8] = []
        let now = WallClock.now()
        for record in state.processes {
            let created = TimedEvent(.created(record), time: state.discoveredAt[record.identity] ?? now)
            bytes += documents.eventLine(created, state: state) ?? []
            if let verdict = state.verdicts[record.identity], verdict.matched {
                let matched = TimedEvent(.matched(record, verdict), time: state.matchedAt[record.identity] ?? now)
                bytes += documents.eventLine(matched, state: state) ?? []
            }
        }
        return bytes
    }
}
