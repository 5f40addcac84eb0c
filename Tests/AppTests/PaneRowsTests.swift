@testable import Engine
import Glibc
import Testing
@testable import App

/// The panes' rows as identities in prepared orders: whatever path made them (prepared off the
/// UI thread, made where first needed, tombstones placed one by one or sorted with the rest),
/// they are the rows one sort of everything by (key, identity) gives.
@Suite struct PaneRowsTests {
    static let users = ["root", "www-data", "postgres", "alice"]
    static let comms = ["nginx", "python3", "postgres", "sshd", "java", "Älg", "node"]

    /// `count` processes with keys that tie often (few users, commands, executables).
    static func population(_ count: Int) -> [ProcessRecord] {
        (0..<count).map { index in
            var record = MonitorFixture.record(
                pid: Int32(1000 + (index * 7919) % 5003), ports: [UInt16(20000 + (index * 37) % 500)], comm: comms[index % comms.count],
                exe: "/usr/bin/" + comms[(index / 3) % comms.count], user: users[(index / 2) % users.count])
            record.ppid = index % 5 == 0 ? 1 : Int32(1000 + ((index - 1) * 7919) % 5003)
            return record
        }
    }

    /// A monitor whose first state holds `records` (so no tombstones yet).
    static func state(_ records: [ProcessRecord]) throws -> MonitorState {
        var engine = EngineState()
        engine.processes = records
        var state = MonitorState()
        state.apply(EngineUpdate(events: [], state: engine), at: WallClock.now())
        return state
    }

    /// The rows of `pane` as one sort of every row (live and tombstone) orders them.
    static func reference(_ state: MonitorState, _ pane: Pane) -> [ProcessIdentity] {
        let column = PaneColumns.sortColumn(of: pane, state.panes[pane].sort)
        let live = state.engine.processes.filter { pane == .processes || state.engine.verdicts[$0.identity]?.isCandidate == true }
        let rows = live.map { MonitorState.PaneRow(record: $0, kind: .live) }
            + state.panes[pane].tombstones.values.map { MonitorState.PaneRow(record: $0.record, kind: .tombstone) }
        let sorted = rows.sorted { column.precedes($0, $1, in: state) }.map(\.record.identity)
        return state.panes[pane].inverted ? sorted.reversed() : sorted
    }

    func expectEveryOrderMatches(_ state: MonitorState) {
        var state = state
        for column in state.sortable(in: .processes) {
            for inverted in [false, true] {
                state.panes.processes.sort = column
                state.panes.processes.inverted = inverted
                #expect(state.rows(for: .processes).map(\.record.identity) == Self.reference(state, .processes), "\(column), inverted \(inverted)")
            }
        }
    }

    @Test func everyColumnOrdersLikeOneSortOfAll() throws {
        expectEveryOrderMatches(try Self.state(Self.population(300)))
    }

    @Test func aFewTombstonesArePlacedWhereTheSortPutsThem() throws {
        var state = try Self.state(Self.population(300))
        // Gone: 10 of 300, fewer than a sixteenth, so each is placed by a binary search.
        MonitorFixture.publish(&state) { $0.processes = Array($0.processes.enumerated().filter { $0.offset % 30 != 7 }.map(\.element)) }
        #expect(state.panes.processes.tombstones.count == 10)
        expectEveryOrderMatches(state)
    }

    @Test func manyTombstonesAreSortedWithTheRest() throws {
        var state = try Self.state(Self.population(300))
        MonitorFixture.publish(&state) { $0.processes = Array($0.processes.prefix(100)) }
        #expect(state.panes.processes.tombstones.count == 200)
        expectEveryOrderMatches(state)
    }

    @Test func preparedOrdersGiveTheRowsTheStateWouldMake() throws {
        let records = Self.population(300)
        let before = try Self.state(Self.population(10))
        var engine = before.engine
        engine.processes = records
        let update = EngineUpdate(events: [], state: engine)
        var prepared = before
        var made = before
        prepared.apply(update, prepared: PreparedRows(for: engine, before.rowsRequest), at: WallClock.now())
        made.apply(update, at: WallClock.now())
        for column in before.sortable(in: .processes) {
            prepared.panes.processes.sort = column
            made.panes.processes.sort = column
            #expect(prepared.rows(for: .processes).map(\.record.identity) == made.rows(for: .processes).map(\.record.identity), "\(column)")
        }
        #expect(prepared.matched.count == made.matched.count)
        #expect(prepared.matched.pids == made.matched.pids)
    }

    /// A first state prepared for the shown column only, then the same state prepared for all:
    /// the second adds its orders (the rows are the same), and every column sorts as one sort would.
    @Test func aStatePreparedAgainForMoreColumnsAddsItsOrders() throws {
        let before = try Self.state(Self.population(10))
        var engine = before.engine
        engine.processes = Self.population(300)
        let request = before.rowsRequest
        var state = before
        state.apply(EngineUpdate(events: [], state: engine), prepared: PreparedRows(for: engine, request.first), at: WallClock.now())
        state.apply(EngineUpdate(events: [], state: engine), prepared: PreparedRows(for: engine, request), at: WallClock.now())
        expectEveryOrderMatches(state)
        #expect(request.first.columns[.processes] == [request.sorts[.processes]!])
    }

    /// An engine state of `records` judged by `-p 20000-20099`: a fifth of them match.
    static func judged(_ records: [ProcessRecord]) throws -> EngineState {
        var engine = EngineState()
        engine.criteria = Criteria(openPorts: try PortRanges(parsing: "20000-20099"))
        engine.processes = records
        let matcher = Matcher(criteria: engine.criteria, selfPID: getpid())
        for record in records {
            let verdict = matcher.verdict(for: record)
            engine.verdicts[record.identity] = verdict
            engine.discoveredAt[record.identity] = UInt64(record.pid) * 1_000
            if verdict.matched { engine.matchedAt[record.identity] = UInt64(record.pid) * 2_000 }
        }
        return engine
    }

    @Test func aFewProcessesComingAndGoingUpdateThePreparedOrders() throws {
        let population = Self.population(400)
        let earlier = try Self.judged(Array(population.prefix(300)))
        // 5 gone, 7 new; of both, some match.
        let later = try Self.judged(Array(population.prefix(300).enumerated().filter { ![3, 50, 77, 120, 299].contains($0.offset) }.map(\.element))
            + population[300..<307])
        let request = MonitorState().rowsRequest
        let delta = try #require(later.delta(from: earlier, limit: 256))
        #expect(delta.added.count == 7 && delta.removed.count == 5)
        let updated = PreparedRows(for: later, request, after: (earlier, PreparedRows(for: earlier, request)))
        let fresh = PreparedRows(for: later, request)
        for pane in [Pane.processes, .matched] {
            let orders = try #require(fresh.orders[pane])
            #expect(!orders.isEmpty && orders.values.allSatisfy { $0.count > 0 })
            for (order, live) in orders {
                #expect(updated.orders[pane]?[order]?.sequence == live.sequence, "\(pane) \(order.column)")
            }
        }
        #expect(fresh.matched?.count == updated.matched?.count)
        #expect(fresh.matched?.pids == updated.matched?.pids)
        // A kept process that changed is no delta: the orders are made again.
        var changed = later
        changed.processes = changed.processes.map { var record = $0; if record.pid == later.processes[9].pid { record.user = "mallory" }; return record }
        #expect(changed.delta(from: later, limit: 256) == nil)
    }

    @Test func theTreeAndTheFilterWorkOnTheSameRows() throws {
        var state = try Self.state(Self.population(60))
        state.filter = ProcessFilter("nginx")
        let filtered = state.rows(for: .processes)
        #expect(!filtered.isEmpty && filtered.allSatisfy { $0.record.comm == "nginx" || $0.record.exe == "/usr/bin/nginx" })
        state.filter = nil
        state.tree = true
        let tree = state.rows(for: .processes)
        #expect(Set(tree.map(\.record.identity)) == Set(state.engine.records.keys))
        // A child follows its parent (when the parent is shown), one level deeper.
        for (index, row) in tree.enumerated() where (row.tree?.depth ?? 0) > 0 {
            let parent = try #require(tree[..<index].last { $0.record.pid == row.record.ppid })
            #expect((parent.tree?.depth ?? 0) + 1 == row.tree?.depth)
        }
    }

    @Test func theSelectionIsFoundWithoutMakingEveryRow() throws {
        var state = try Self.state(Self.population(300))
        let rows = state.rows(for: .processes)
        let target = rows[217].record.pid
        state.panes.processes.selectedPID = target
        #expect(state.selectedIndex(in: .processes) == 217)
        state.panes.processes.inverted = true
        #expect(state.selectedIndex(in: .processes) == rows.count - 1 - 217)
        #expect(state.selectedRecord?.pid == target)
    }
}

/// The mailbox between the engine and the UI: the UI takes a state only once its rows are
/// prepared, never waits for one, and misses no event.
@Suite struct MailboxTests {
    func update(_ records: [ProcessRecord], events: Int) -> EngineUpdate {
        var engine = EngineState()
        engine.processes = records
        let kernel = (0..<events).map { _ in EngineEvent.kernel(MonitorFixture.event(.bind, pid: 1, port: 80), relevant: true) }
        return EngineUpdate(events: kernel.map { TimedEvent($0, time: WallClock.now()) }, state: engine)
    }

    @Test func theUITakesPreparedStatesWithEveryEventSoFar() throws {
        let wakeup = try Wakeup()
        let mailbox = Mailbox(wakeup: wakeup)
        let request = MonitorState().rowsRequest
        mailbox.want(request)
        let first = PaneRowsTests.population(50)
        mailbox.post(update(first, events: 2))
        #expect(wakeup.wait(input: -1, milliseconds: 2000) == .woken)
        let taken = try #require(mailbox.take())
        #expect(taken.update.events.count == 2)
        #expect(taken.update.state.records.count == 50)
        // The first state comes sorted by the shown column alone, then by every column.
        #expect(taken.prepared?.orders[.processes]?.count == 1)
        #expect(taken.prepared?.orders[.processes]?.keys.first?.column == request.sorts[.processes])
        #expect(wakeup.wait(input: -1, milliseconds: 2000) == .woken)
        let fuller = try #require(mailbox.take())
        #expect(fuller.update.events.isEmpty)
        #expect(fuller.update.state.records == taken.update.state.records)
        #expect(fuller.prepared?.orders[.processes]?.count == request.columns[.processes]?.count)
        #expect(mailbox.take() == nil, "nothing new")
        // Two more states at once: the second preparation waits its turn, so the UI first gets the
        // events with the state prepared so far, and then the newest state.
        mailbox.post(update(Array(first.prefix(40)), events: 1))
        mailbox.post(update(Array(first.prefix(30)), events: 1))
        var events = 0
        var newest = 0
        let deadline = MonotonicClock.nanos() + 5_000_000_000
        while newest != 30, MonotonicClock.nanos() < deadline {
            _ = wakeup.wait(input: -1, milliseconds: 100)
            if let next = mailbox.take() {
                events += next.update.events.count
                newest = next.update.state.records.count
                #expect(next.prepared != nil)
            }
        }
        #expect(newest == 30)
        #expect(events == 2)
    }
}
