import Agent
import Dispatch
import Engine
import Foundation
import Glibc

/// The monitor's state from agents (`--connect`, one or several): each agent's
/// `/v1/processes` polled, its `/v1/events` streamed for the Bind events pane, and all of it
/// merged into one `EngineState` whose identities carry the node they run under. The prompt's
/// criteria re-judge what the agents sent here, with the engine's own core; the agents'
/// criteria stay theirs.
final class RemoteSource: StateSource {
    private let clients: [AgentClient]
    private let interval: Double
    private let shared: Locked<Shared>
    private let stopped = StopFlag()

    private struct Shared {
        var nodes: [Node]
        /// The prompt's criteria; nil shows the agents' own verdicts.
        var criteria: Criteria?
        /// Kernel events streamed since the last publish.
        var events: [TimedEvent] = []
        var publish: (@Sendable (EngineUpdate) -> Void)?
    }

    private struct Node {
        var summary: RemoteNode
        var document: AgentDocument?
        /// The agent took the prompt's criteria (`serve --allow-remote-criteria`): it judges
        /// them itself, and its verdicts are shown as sent.
        var judgesCriteria = false
    }

    /// Where the prompt's criteria go to the agents, off the UI thread.
    private let requests = DispatchQueue(label: "discotop.criteria")

    init(clients: [AgentClient], criteria: Criteria, interval: Double = 1) {
        self.clients = clients
        self.interval = interval
        let nodes = clients.map { Node(summary: RemoteNode(name: $0.url.authority, address: $0.url.authority, failure: "connecting")) }
        shared = Locked(Shared(nodes: nodes, criteria: criteria.isEmpty ? nil : criteria))
    }

    var isLocal: Bool { false }

    func start(_ publish: @escaping @Sendable (EngineUpdate) -> Void) {
        shared.withLock { $0.publish = publish }
        for (index, client) in clients.enumerated() {
            Thread.detached(name: "discotop.poll.\(index)") { [self] in poll(client, node: index) }
            Thread.detached(name: "discotop.events.\(index)") { [self] in follow(client, node: index) }
        }
    }

    func stop() { stopped.set() }

    /// Offered to each agent first: one started with `--allow-remote-criteria` takes the port
    /// ranges (PUT /v1/criteria); any other answers 405 and is re-filtered here.
    func setCriteria(_ criteria: Criteria) {
        shared.withLock { $0.criteria = criteria.isEmpty ? nil : criteria }
        // Re-judging thousands of processes is no work for the UI thread that called.
        requests.async { [self] in
            publishNow()
            let text = criteria.topLevel.openPorts?.description ?? ""
            for (index, client) in clients.enumerated() {
                let took = (try? client.put(Endpoint.criteria.rawValue, text: text))?.status == .ok
                shared.withLock { $0.nodes[index].judgesCriteria = took }
            }
            publishNow()
        }
    }

    func inspect(_ record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) -> Inspection {
        let node = Int(record.identity.node)
        guard clients.indices.contains(node) else { return Inspection.failed(record, "no such node") }
        do throws(ConnectFailure) {
            return try clients[node].inspection(of: record)
        } catch {
            return Inspection.failed(record, error.description)
        }
    }

    /// Asks for the node's document every `interval`, and publishes the merged state after each answer.
    private func poll(_ client: AgentClient, node: Int) {
        while !stopped.isSet {
            let started = MonotonicClock.nanos()
            do throws(ConnectFailure) {
                let document = try AgentDocument.decode(try client.processes(), from: client.url)
                shared.withLock { shared in
                    shared.nodes[node].document = document
                    shared.nodes[node].summary = RemoteNode(
                        name: document.hostname.isEmpty ? client.url.authority : document.hostname, address: client.url.authority,
                        criteria: document.criteria)
                }
            } catch {
                shared.withLock { $0.nodes[node].summary.failure = error.description }
            }
            publishNow()
            let spent = Double(MonotonicClock.nanos() &- started) / 1e9
            if interval > spent { usleep(useconds_t((interval - spent) * 1e6)) }
        }
    }

    /// The node's kernel events, for the Bind events pane; after a failure, again a while later.
    private func follow(_ client: AgentClient, node: Int) {
        let lines = LineSplitter()
        while !stopped.isSet {
            try? client.stream("/v1/events", head: { head in
                client.failure(status: head.status, body: [], path: "/v1/events")
            }, body: { [self] buffer in
                var fresh: [TimedEvent] = []
                for line in lines.split(buffer) {
                    // Socket events only: the processes pane comes from the polled documents.
                    guard let type = AgentEventLine.type(of: line).flatMap(KernelEvent.Kind.init(rawValue:)),
                          [KernelEvent.Kind.bind, .listen, .close].contains(type), case .event(let event)? = AgentEventLine.decode(line),
                          case .kernel(var k, let relevant) = event.event, k.isSocketEvent else { continue }
                    // Which agent saw it: the Bind events pane names its node, as the process panes do.
                    k.node = UInt16(node)
                    fresh.append(TimedEvent(.kernel(k, relevant: relevant), time: event.time))
                }
                if !fresh.isEmpty { shared.withLock { $0.events += fresh } }
                return stopped.isSet ? .closed(client.url) : nil
            })
            if !stopped.isSet { sleep(2) }
        }
    }

    private func publishNow() {
        let (update, publish) = shared.withLock { shared -> (EngineUpdate, (@Sendable (EngineUpdate) -> Void)?) in
            defer { shared.events = [] }
            return (EngineUpdate(events: shared.events, state: Self.merge(shared.nodes, criteria: shared.criteria)), shared.publish)
        }
        publish?(update)
    }

    /// One state of every node's last good document, re-judged by `criteria` when given.
    private static func merge(_ nodes: [Node], criteria: Criteria?) -> EngineState {
        var state = EngineState()
        state.nodes = nodes.map { node in
            var summary = node.summary
            summary.judgesCriteria = node.judgesCriteria
            return summary
        }
        // Two agents of one machine (two ports, two criteria) would read alike by hostname.
        let names = state.nodes.map(\.name)
        for index in state.nodes.indices where names.filter({ $0 == names[index] }).count > 1 {
            state.nodes[index].name = state.nodes[index].address
        }
        state.criteria = criteria ?? Criteria()
        state.mode = .poll(intervalSeconds: 1, reason: .starting)
        for (index, node) in nodes.enumerated() {
            guard let document = node.document else { continue }
            if state.lastFullScan == nil {
                state.lastFullScan = document.report
                state.lastFullScanAt = document.scannedAt
            }
            let rows = node.judgesCriteria ? document.rows : criteria.map { judge(document.rows.map(\.0), by: $0) } ?? document.rows
            for (record, verdict) in rows {
                var record = record
                record.identity.node = UInt16(index)
                state.records[record.identity] = record
                state.verdicts[record.identity] = verdict
            }
        }
        return state
    }

    /// The agent's processes judged as this machine's engine would judge them: the same core.
    private static func judge(_ records: [ProcessRecord], by criteria: Criteria) -> [(ProcessRecord, MatchVerdict)] {
        var core = DiscoveryCore(matcher: Matcher(criteria: criteria, selfPID: -1))
        _ = core.ingest(.fullScan(Snapshot(processes: records, report: ScanReport()), portless: nil), now: WallClock.now(), recording: false)
        return records.map { ($0, core.verdicts[$0.identity] ?? .noCriteria) }
    }
}

extension Thread {
    /// A thread of its own for a loop that blocks (a poll, a stream), beside dispatch's pool.
    static func detached(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}
