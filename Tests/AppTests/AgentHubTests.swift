import Dispatch
@testable import Agent
@testable import App
import Engine
import Glibc
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// `/v1/events`' start: a new client's snapshot is written outside the lock that publishing
/// takes, and every event is in it or after it, once.
@Suite struct AgentHubTests {
    /// The agent's real documents, counting the event lines written.
    final class CountedDocuments: AgentDocuments {
        let lines = Locked(0)
        let documents = Locked(0)
        var discotopVersion: String { DiscotopVersion.string }

        func eventLine(_ event: TimedEvent, state: EngineState) -> [UInt8]? {
            lines.withLock { $0 += 1 }
            return ServeDocuments().eventLine(event, state: state)
        }

        func processList(
            rows: [(ProcessRecord, MatchVerdict)], snapshot: Snapshot, criteria: Criteria, scannedAt: UInt64, surroundings: [ProcessSurroundings]
        ) -> [UInt8] {
            documents.withLock { $0 += 1 }
            return ServeDocuments().processList(rows: rows, snapshot: snapshot, criteria: criteria, scannedAt: scannedAt, surroundings: surroundings)
        }

        func inspection(of record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) -> [UInt8] {
            []
        }
    }

    /// `count` matched listeners: a snapshot of 2 × count lines (`created`, `matched`).
    static func state(processes count: Int) -> EngineState {
        var state = EngineState()
        state.lastFullScan = ScanReport()
        state.lastFullScanAt = WallClock.now()
        for index in 0..<count {
            let pid = Int32(1_000_000 + index)
            let identity = ProcessIdentity(pid: pid, startTime: UInt64(index))
            let socket = ListeningSocket(proto: .tcp, family: .ipv4, address: "0.0.0.0", port: UInt16(20_000 + index % 40_000), inode: UInt64(index), netns: 1)
            state.records[identity] = ProcessRecord(
                identity: identity, ppid: 1, comm: "worker", exe: "/usr/bin/worker", uid: 0, user: "root", netns: 1,
                ports: [HeldSocket(socket: socket, fd: 3)], isReady: true)
            state.verdicts[identity] = MatchVerdict(state: .matched, selectors: ["open_ports"], reasons: ["port \(socket.port)"])
        }
        return state
    }

    /// A bind on a port no process of `state` holds, so its line is told apart.
    static func bind(port: UInt16) -> TimedEvent {
        let event = KernelEvent(
            kind: .bind, pid: 42, tid: 42, ppid: 1, result: 0, netns: 1, inode: 7, family: .ipv4, proto: .tcp, protocolNumber: 6,
            port: port, address: "127.0.0.1", comm: "late", commBytes: nil, startTime: 1, uid: 0)
        return TimedEvent(.kernel(event, relevant: true), time: WallClock.now())
    }

    /// The body lines the subscriber has written, once `count` of them have come, or once
    /// nothing more came for 20 s. A read is tried before the clock is looked at: a test task
    /// kept off the cooperative pool by other suites' blocking waits is not yet a silent channel.
    static func lines(from channel: NIOAsyncTestingChannel, count: Int) async throws -> [String] {
        var bytes: [UInt8] = []
        var lines: [String] = []
        var lastProgress = MonotonicClock.nanos()
        while lines.count < count {
            guard let part = try await channel.readOutbound(as: HTTPServerResponsePart.self) else {
                if MonotonicClock.nanos() - lastProgress > 20_000_000_000 { break }
                try await Task.sleep(nanoseconds: 5_000_000)
                continue
            }
            lastProgress = MonotonicClock.nanos()
            if case .body(.byteBuffer(let buffer)) = part { bytes += buffer.readableBytesView }
            lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return lines
    }

    @Test func publishingDoesNotWaitForASubscribersSnapshotAndNoEventIsLostOrRepeated() async throws {
        let processes = 3000
        let documents = CountedDocuments()
        let hub = AgentHub(documents: documents, backlog: 1 << 20)
        let state = Self.state(processes: processes)
        hub.publish(EngineUpdate(events: [], state: state))
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1))
        let snapshotLines = 2 * processes

        // On its own thread: were the snapshot written under the hub's lock, this call would
        // hold it for the whole snapshot.
        DispatchQueue.global().async { hub.subscribe(channel) }
        let started = MonotonicClock.nanos()
        while documents.lines.withLock({ $0 }) < 50 {
            try #require(MonotonicClock.nanos() - started < 10_000_000_000, "the snapshot never started")
            usleep(200)
        }
        let before = MonotonicClock.nanos()
        hub.publish(EngineUpdate(events: [Self.bind(port: 65_001)], state: state))
        let publishMs = Double(MonotonicClock.nanos() - before) / 1e6
        // Lines written when publish returned, its own included: the snapshot was still being
        // written, so publish did not wait for it.
        let written = documents.lines.withLock { $0 }
        #expect(written < snapshotLines, "publish returned after \(publishMs) ms, once \(written) of \(snapshotLines) snapshot lines were written")

        // The snapshot's lines all rendered, then the live one: under a sanitizer on a loaded
        // machine, rendering 6,000 lines takes longer than reading them may.
        let waitStarted = MonotonicClock.nanos()
        while documents.lines.withLock({ $0 }) < snapshotLines + 1 {
            try #require(MonotonicClock.nanos() - waitStarted < 300_000_000_000, "the snapshot was never finished")
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        let lines = try await Self.lines(from: channel, count: snapshotLines + 1)
        #expect(lines.count == snapshotLines + 1)
        #expect(lines.filter { $0.contains(#""port":65001"#) }.count == 1, "the live event, once")
        #expect(lines.last?.contains(#""type":"bind""#) == true, "after the whole snapshot")
        #expect(lines.dropLast().allSatisfy { $0.contains(#""type":"created""#) || $0.contains(#""type":"matched""#) })
        _ = try await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func aClientWhoseBacklogFillsWhileItsSnapshotIsWrittenIsCutOff() async throws {
        let documents = CountedDocuments()
        // Less than one event line: the first event published during the snapshot overflows it.
        let hub = AgentHub(documents: documents, backlog: 64)
        let state = Self.state(processes: 3000)
        hub.publish(EngineUpdate(events: [], state: state))
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1))
        hub.subscribe(channel)
        while documents.lines.withLock({ $0 }) < 50 { usleep(200) }
        hub.publish(EngineUpdate(events: [Self.bind(port: 65_002)], state: state))
        let deadline = MonotonicClock.nanos() + 20_000_000_000
        while channel.isActive, MonotonicClock.nanos() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(!channel.isActive, "cut off")
        // Its snapshot, finished after the cut, is not sent.
        #expect(try await channel.readOutbound(as: HTTPServerResponsePart.self) == nil)
        _ = try await channel.finish(acceptAlreadyClosed: true)
    }

    /// `/v1/processes` of the hub's state, rendered or not.
    static func document(of hub: AgentHub) -> [UInt8] {
        let done = DispatchSemaphore(value: 0)
        let body = Locked<[UInt8]>([])
        hub.processesDocument { buffer in
            body.withLock { $0 = buffer.map { Array($0.readableBytesView) } ?? [] }
            done.signal()
        }
        done.wait()
        return body.withLock { $0 }
    }

    @Test func aStateOfTheSameProcessesIsNotRenderedAgain() {
        let documents = CountedDocuments()
        let hub = AgentHub(documents: documents, backlog: 1 << 20)
        var state = Self.state(processes: 20)
        hub.publish(EngineUpdate(events: [], state: state))
        let first = Self.document(of: hub)
        // A bind of a process the state does not hold, as the engine publishes it: nothing listed changed.
        hub.publish(EngineUpdate(events: [Self.bind(port: 65_003)], state: state))
        #expect(Self.document(of: hub) == first)
        #expect(documents.documents.withLock { $0 } == 1)
        // A process gone: a new document.
        state.records.removeValue(forKey: state.records.keys.first!)
        hub.publish(EngineUpdate(events: [], state: state))
        #expect(Self.document(of: hub) != first)
        #expect(documents.documents.withLock { $0 } == 2)
    }
}
