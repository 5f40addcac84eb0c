import Testing
@testable import Engine

/// What a change looks like in these tests: the event and the pid it is about.
enum Change: Equatable, CustomStringConvertible {
    case kernel(KernelEvent.Kind, Int32)
    case created(ProcessRecord)
    case deleted(ProcessRecord)
    case changed(old: ProcessRecord, new: ProcessRecord)
    case matched(Int32, MatchVerdict.State)
    case unmatched(Int32)
    case info

    init(_ timed: TimedEvent) {
        switch timed.event {
        case .kernel(let k, _): self = .kernel(k.kind, k.pid)
        case .created(let r): self = .created(r)
        case .deleted(let r): self = .deleted(r)
        case .changed(let old, let new): self = .changed(old: old, new: new)
        case .matched(let r, let verdict): self = .matched(r.pid, verdict.state)
        case .unmatched(let r, _): self = .unmatched(r.pid)
        case .info: self = .info
        }
    }

    var description: String {
        switch self {
        case .kernel(let kind, let pid): "\(kind) \(pid)"
        case .created(let r): "created \(r.identity)"
        case .deleted(let r): "deleted \(r.identity)"
        case .changed(let old, let new): "changed \(old.identity) → \(new.identity)"
        case .matched(let pid, let state): "matched \(pid) (\(state))"
        case .unmatched(let pid): "unmatched \(pid)"
        case .info: "info"
        }
    }
}

/// Ages set by the test and changed as it goes, where `FakeFacts` fixes them.
final class AgingFacts: ProcessFacts, @unchecked Sendable {
    var ages: [Int32: UInt64] = [:]
    var ownNetns: UInt64? { 1 }
    func commandArguments(of pid: Int32) -> String? { nil }
    func language(of pid: Int32, exe: String?) -> Language { .native }
    func age(of record: ProcessRecord) -> UInt64? { ages[record.pid] ?? 3_600_000_000_000 }
}

/// The discovery core driven by recorded sequences: scans, kernel batches and their rescans,
/// criteria, ticks. No root, no real processes: what a rescan would have read is given.
@Suite struct DiscoveryCoreTests {
    static let second: UInt64 = 1_000_000_000

    func criteria(ports: String? = nil, exe: String? = nil, minAge: Double = 0) throws -> Criteria {
        var selector = Selector(origin: .file(section: "instrument", index: 0, line: 3))
        selector.name = "web"
        if let ports { selector.openPorts = try PortRanges(parsing: ports) }
        if let exe { selector.exePath = .glob(try Glob(exe)) }
        var criteria = Criteria()
        criteria.selectors = [selector]
        criteria.minProcessAgeSeconds = minAge
        return criteria
    }

    func core(_ criteria: Criteria = Criteria(), facts: any ProcessFacts = FakeFacts()) -> DiscoveryCore {
        DiscoveryCore(matcher: Matcher(criteria: criteria, selfPID: 999, facts: facts))
    }

    func scan(_ core: inout DiscoveryCore, _ records: ProcessRecord..., now: UInt64 = 0) -> [Change] {
        core.ingest(.fullScan(Fixture.snapshot(records), portless: nil), now: now).map(Change.init)
    }

    /// A kernel batch, and the records the rescan it plans reads.
    func batch(_ core: inout DiscoveryCore, _ events: [KernelEvent], read: [ProcessRecord], now: UInt64 = 0) -> [TimedEvent] {
        let plan = core.plan(events)
        let wanted = Set(plan.pids)
        return core.ingest(.rescan(plan, records: read.filter { wanted.contains($0.pid) }, learned: []), now: now)
    }

    // MARK: - What changed

    @Test func aNewProcessIsCreatedOnce() {
        var core = core()
        let p = Fixture.process(pid: 10)
        #expect(scan(&core, p) == [.created(p)])
        #expect(scan(&core, p) == [])
    }

    @Test func withoutLifecycleEventsOnlyTheKernelsAreReturned() {
        var core = core()
        core.recordsLifecycle = false
        let p = Fixture.process(pid: 10, ports: [8080])
        #expect(scan(&core, p) == [])
        #expect(core.records.count == 1, "the state is kept all the same")
        let grown = Fixture.process(pid: 10, ports: [8080, 9090])
        let events = batch(&core, [Fixture.event(.listen, pid: 10, port: 9090, inode: 90900)], read: [grown]).map(Change.init)
        #expect(events == [.kernel(.listen, 10)])
        #expect(core.records[p.identity]?.ports?.count == 2)
    }

    @Test func aScanThatFindsTheSameIsNoDeltaAndOneProcessMoreIsOne() throws {
        var core = core()
        _ = scan(&core, Fixture.process(pid: 10), Fixture.process(pid: 11))
        var before = EngineState()
        before.take(core)
        _ = scan(&core, Fixture.process(pid: 10), Fixture.process(pid: 11))
        var same = EngineState()
        same.take(core)
        #expect(same.delta(from: before, limit: 0) == EngineStateDelta(added: [], removed: []))
        let newcomer = Fixture.process(pid: 12)
        _ = scan(&core, Fixture.process(pid: 11), newcomer)
        var after = EngineState()
        after.take(core)
        let delta = try #require(after.delta(from: same, limit: 8))
        #expect(delta.added == [newcomer.identity] && delta.removed.map(\.pid) == [10])
        #expect(after.delta(from: same, limit: 1) == nil, "more came and went than the limit")
        _ = scan(&core, Fixture.process(pid: 11, ports: [9090]), newcomer)
        var changed = EngineState()
        changed.take(core)
        #expect(changed.delta(from: after, limit: 8) == nil, "a kept process changed")
    }

    @Test func aGoneProcessIsDeleted() {
        var core = core()
        let p = Fixture.process(pid: 10)
        _ = scan(&core, p)
        #expect(scan(&core) == [.deleted(p)])
        #expect(core.records.isEmpty)
    }

    @Test func aNewPortOnAKnownProcessIsAChangeWithBothPortSets() {
        var core = core()
        let before = Fixture.process(pid: 10, ports: [8080])
        _ = scan(&core, before)
        let grown = Fixture.process(pid: 10, ports: [8080, 9090])
        #expect(scan(&core, grown) == [.changed(old: before, new: grown)])
    }

    @Test func aMatchedProcessThatGainsAPortIsChangedAndMatchedAgain() throws {
        var core = core(try criteria(ports: "8080"))
        let before = Fixture.process(pid: 10, ports: [8080])
        #expect(scan(&core, before) == [.created(before), .matched(10, .matched)])
        let grown = Fixture.process(pid: 10, ports: [8080, 9090])
        #expect(scan(&core, grown) == [.changed(old: before, new: grown), .matched(10, .matched)])
        // Losing the port again is a change and no new announcement: the match is the same.
        #expect(scan(&core, before) == [.changed(old: grown, new: before)])
    }

    @Test func aClosedPortOrAnExecIsAChange() {
        var core = core()
        let before = Fixture.process(pid: 10, ports: [8080, 9090], exe: "/bin/sh", comm: "sh")
        _ = scan(&core, before)
        let closed = Fixture.process(pid: 10, ports: [8080], exe: "/bin/sh", comm: "sh")
        #expect(scan(&core, closed) == [.changed(old: before, new: closed)])
        let execed = Fixture.process(pid: 10, ports: [8080], exe: "/usr/bin/python3", comm: "python3")
        #expect(scan(&core, execed) == [.changed(old: closed, new: execed)])
    }

    @Test func aProcessNotReadyWaitsAndAKnownOneKeepsItsRecord() {
        var core = core()
        #expect(scan(&core, Fixture.process(pid: 10, exe: nil, ready: false)) == [])
        let ready = Fixture.process(pid: 10)
        #expect(scan(&core, ready) == [.created(ready)])
        #expect(scan(&core, Fixture.process(pid: 10, exe: nil, ready: false)) == [])
        #expect(core.record(of: 10) == ready)
    }

    @Test func portsBecomingKnownIsAChange() {
        var core = core()
        let unknown = Fixture.process(pid: 10, ports: nil)
        _ = scan(&core, unknown)
        let known = Fixture.process(pid: 10, ports: [80])
        #expect(scan(&core, known) == [.changed(old: unknown, new: known)])
    }

    // MARK: - Recorded sequences

    @Test func forkThenListenInOneBatchMatchesBothWithTheKernelsTimes() throws {
        var core = core(try criteria(ports: "8080"))
        let parent = Fixture.process(pid: 10, ports: [8080])
        let child = Fixture.process(pid: 11, start: 101, ports: [], exe: "/usr/bin/worker", ppid: 10)
        let events = [
            Fixture.event(.listen, pid: 10, port: 8080, inode: 80800, at: 5 * Self.second),
            Fixture.event(.fork, pid: 11, ppid: 10, at: 6 * Self.second),
        ]
        let out = batch(&core, events, read: [parent, child], now: 9 * Self.second)
        #expect(out.map(Change.init) == [
            .kernel(.listen, 10), .kernel(.fork, 11),
            .created(parent), .matched(10, .matched), .created(child), .matched(11, .inherited),
        ])
        // Every line carries the time of the kernel event that caused it, not the time of the fold.
        // (The monotonic → wall-clock conversion reads both clocks, so allow it a millisecond.)
        let times = Dictionary(out.map { (Change($0).description, $0.time) }, uniquingKeysWith: { a, _ in a })
        func near(_ a: UInt64?, _ b: UInt64) -> Bool { a.map { $0 > b ? $0 - b : b - $0 }.map { $0 < 1_000_000 } ?? false }
        #expect(near(times["matched 10 (matched)"], WallClock.fromMonotonic(5 * Self.second)))
        #expect(near(times["created 11@101"], WallClock.fromMonotonic(6 * Self.second)))
        #expect(near(times["matched 11 (inherited)"], WallClock.fromMonotonic(6 * Self.second)))
        #expect(core.discoveredAt[parent.identity] == 9 * Self.second)
    }

    @Test func execAfterForkIsAChangeAndAMatchOfItsOwnIsAnnounced() throws {
        var core = core(try criteria(ports: "8080"))
        let parent = Fixture.process(pid: 10, ports: [8080])
        let child = Fixture.process(pid: 11, start: 101, ports: [], exe: "/usr/bin/python3", ppid: 10)
        _ = scan(&core, parent, child)
        #expect(core.verdicts[child.identity]?.state == .inherited)
        let execed = Fixture.process(pid: 11, start: 101, ports: [], exe: "/usr/bin/worker", comm: "worker", ppid: 10)
        let out = batch(&core, [Fixture.event(.exec, pid: 11, ppid: 10)], read: [execed]).map(Change.init)
        #expect(out == [.kernel(.exec, 11), .changed(old: child, new: execed)])
        #expect(core.verdicts[child.identity]?.state == .inherited)
    }

    @Test func aMatchedParentsExitKeepsItsChildInheritedAsBeylaDoes() throws {
        var core = core(try criteria(ports: "8080"))
        let parent = Fixture.process(pid: 10, ports: [8080])
        let child = Fixture.process(pid: 11, start: 101, ports: [], exe: "/usr/bin/worker", ppid: 10)
        _ = scan(&core, parent, child)
        let out = batch(&core, [Fixture.event(.exit, pid: 10)], read: []).map(Change.init)
        #expect(out == [.kernel(.exit, 10), .deleted(parent), .unmatched(10)])
        #expect(core.verdicts[child.identity]?.state == .inherited)
        // Reparented, the child is judged again by the next sweep and keeps what it inherited.
        let orphan = Fixture.process(pid: 11, start: 101, ports: [], exe: "/usr/bin/worker", ppid: 1)
        #expect(core.ingest(.fullScan(Fixture.snapshot([]), portless: FakePortless([orphan])), now: 0).map(Change.init)
            == [.changed(old: child, new: orphan)])
        #expect(core.verdicts[child.identity]?.inheritedFrom == 10)
        // A fresh core (what `list` runs) cannot know the parent it had.
        var fresh = self.core(try criteria(ports: "8080"))
        _ = fresh.ingest(.fullScan(Fixture.snapshot([]), portless: FakePortless([orphan])), now: 0)
        #expect(fresh.verdicts[child.identity] == nil)
    }

    @Test func theSocketsClosingAfterAnExitLeaveTheExitAsTheCause() throws {
        var core = core(try criteria(ports: "8080"))
        let web = Fixture.process(pid: 10, ports: [8080])
        _ = scan(&core, web)
        let events = [
            Fixture.event(.exit, pid: 10, at: 5 * Self.second),
            Fixture.event(.close, pid: 10, port: 8080, inode: 80800, at: 6 * Self.second),
        ]
        let plan = core.plan(events)
        #expect(plan.pids.isEmpty, "an exited process has nothing left to read")
        let out = core.ingest(.rescan(plan, records: [], learned: []), now: 9 * Self.second)
        #expect(out.map(Change.init) == [.kernel(.exit, 10), .kernel(.close, 10), .deleted(web), .unmatched(10)])
        let exit = plan.events[0].time
        #expect(exit != plan.events[1].time)
        #expect(out.filter { [.deleted(web), .unmatched(10)].contains(Change($0)) }.allSatisfy { $0.time == exit })
    }

    @Test func aPIDThatExitsAndIsBornAgainInOneBatchIsReadAgain() throws {
        var core = core(try criteria(ports: "8080"))
        let old = Fixture.process(pid: 10, start: 100, ports: [8080])
        _ = scan(&core, old)
        let newcomer = Fixture.process(pid: 10, start: 200, ports: [8080], ppid: 1)
        let events = [Fixture.event(.exit, pid: 10), Fixture.event(.fork, pid: 10, ppid: 1), Fixture.event(.listen, pid: 10, port: 8080)]
        #expect(core.plan(events).pids == [10])
        let out = batch(&core, events, read: [newcomer]).map(Change.init)
        #expect(out.suffix(4) == [.deleted(old), .unmatched(10), .created(newcomer), .matched(10, .matched)])
    }

    @Test func aRecycledPIDIsADeletePlusACreate() throws {
        var core = core(try criteria(ports: "8080"))
        let old = Fixture.process(pid: 10, start: 100)
        _ = scan(&core, old)
        let newcomer = Fixture.process(pid: 10, start: 200)
        let out = batch(&core, [Fixture.event(.listen, pid: 10, port: 8080)], read: [newcomer]).map(Change.init)
        #expect(out == [.kernel(.listen, 10), .deleted(old), .unmatched(10), .created(newcomer), .matched(10, .matched)])
        #expect(core.records.count == 1)
    }

    @Test func aCriteriaChangeRejudgesEveryoneAndDropsChildrenThatNoLongerInherit() throws {
        var core = core(try criteria(ports: "8080"))
        let web = Fixture.process(pid: 10, ports: [8080])
        let worker = Fixture.process(pid: 11, start: 101, ports: [], ppid: 10)
        let dns = Fixture.process(pid: 20, ports: [9090])
        _ = scan(&core, web, worker, dns)
        #expect(core.matchedCount == 2)
        let out = core.ingest(.criteria(try criteria(ports: "9090")), now: 0).map(Change.init)
        #expect(out == [.unmatched(10), .deleted(worker), .unmatched(11), .matched(20, .matched)])
        #expect(core.matchedCount == 1)
        #expect(core.criteria.description == (try criteria(ports: "9090")).description)
    }

    @Test func aFullScanAfterLostEventsRestoresTheTruth() {
        var core = core()
        let gone = Fixture.process(pid: 10)
        _ = scan(&core, gone)
        // The exit of 10 and the listen of 30 were lost; the rescan that follows a loss finds both.
        let late = Fixture.process(pid: 30, ports: [53])
        #expect(scan(&core, late) == [.deleted(gone), .created(late)])
    }

    @Test func aPendingMatchIsMatchedWhenItComesOfAge() throws {
        let facts = AgingFacts()
        facts.ages[21] = Self.second
        var core = core(try criteria(exe: "*worker", minAge: 5), facts: facts)
        let young = Fixture.process(pid: 21, ports: [], exe: "/usr/bin/worker")
        let start = 100 * Self.second
        #expect(core.ingest(.fullScan(Fixture.snapshot([]), portless: FakePortless([young])), now: start).map(Change.init)
            == [.created(young)])
        #expect(core.verdicts[young.identity]?.state == .pending)
        #expect(core.nextDue == start + 4 * Self.second)
        #expect(core.ingest(.tick, now: start + 2 * Self.second).isEmpty)
        facts.ages[21] = 5 * Self.second
        let out = core.ingest(.tick, now: start + 4 * Self.second)
        #expect(out.map(Change.init) == [.matched(21, .matched)])
        #expect(out.first?.time == start + 4 * Self.second)
    }

    @Test func aSharedListenerClosingRescansEveryHolder() {
        var core = core()
        let master = Fixture.process(pid: 10, ports: [8080])
        let worker = Fixture.process(pid: 11, start: 101, ports: [8080], ppid: 10)
        _ = scan(&core, master, worker)
        #expect(core.plan([Fixture.event(.close, pid: 10, port: 8080, inode: 80800)]).pids == [10, 11])
        // The worker leaves: the master holds it alone, and a close names only the master.
        _ = batch(&core, [Fixture.event(.exit, pid: 11)], read: [])
        #expect(core.plan([Fixture.event(.close, pid: 10, port: 8080, inode: 80800)]).pids == [10])
        #expect(core.holders(of: 80800) == [10])
    }

    @Test func eventsAboutProcessesNobodyWatchesNeedNoRead() {
        var core = core()
        _ = scan(&core, Fixture.process(pid: 10))
        let plan = core.plan([Fixture.event(.fork, pid: 51, ppid: 50), Fixture.event(.exit, pid: 52)])
        #expect(plan.needsNoRead)
        #expect(plan.events.map(\.relevant) == [false, false])
    }
}

/// Port-less processes a full scan would find, given by the test.
struct FakePortless: PortlessSource {
    var records: [ProcessRecord]
    init(_ records: [ProcessRecord]) { self.records = records }

    func parents() -> [Int32: Int32] { Dictionary(uniqueKeysWithValues: records.map { ($0.pid, $0.ppid) }) }
    func portlessRecords(_ pids: [Int32], keep: @escaping @Sendable (ProcessRecord) -> Bool) -> [ProcessRecord] {
        records.filter { pids.contains($0.pid) && keep($0) }
    }
    func portlessRecord(pid: Int32) -> ProcessRecord? { records.first { $0.pid == pid } }
}
