import Testing
@testable import Engine

@Suite struct UpdateBacklogTests {
    func update(_ events: Int, lost: UInt64) -> EngineUpdate {
        var state = EngineState()
        state.lostEvents = lost
        let event = TimedEvent(.info(.lostEvents(count: 1)), time: 0)
        return EngineUpdate(events: Array(repeating: event, count: events), state: state)
    }

    @Test func aConsumerThatFallsBehindIsToldHowManyEventsItMissedAndGetsTheNewestState() {
        let backlog = UpdateBacklog(capacity: 10)
        backlog.post(update(6, lost: 1))
        backlog.post(update(6, lost: 2))  // over capacity: its events are dropped
        backlog.post(update(5, lost: 3))  // over capacity too: replaces the state-only update
        #expect(backlog.backlog == 6)
        let items = backlog.take()
        #expect(items.count == 3)
        guard items.count == 3, case .update(let first) = items[0], case .update(let last) = items[1], case .dropped(let count) = items[2]
        else { return }
        #expect(first.events.count == 6)
        #expect(last.events.isEmpty && last.state.lostEvents == 3)
        #expect(count == 11)
        // Room again: the next update arrives whole.
        backlog.post(update(2, lost: 4))
        guard case .update(let next)? = backlog.take().first else { return }
        #expect(next.events.count == 2)
    }

    @Test func theMarkerSitsWhereTheEventsWereDropped() {
        let backlog = UpdateBacklog(capacity: 4)
        backlog.post(update(4, lost: 1))
        backlog.post(update(1, lost: 2))  // dropped
        backlog.post(update(0, lost: 3))
        let items = backlog.take()
        let shape = items.map { item -> String in
            switch item {
            case .update(let u): "update \(u.events.count)"
            case .dropped(let count): "dropped \(count)"
            }
        }
        #expect(shape == ["update 4", "update 0", "dropped 1", "update 0"])
        // Once there is room, the next events come after a marker for what was missed between.
        backlog.post(update(4, lost: 4))
        backlog.post(update(1, lost: 5))  // dropped
        _ = backlog.take()
        backlog.post(update(2, lost: 6))
        guard case .update(let after)? = backlog.take().first else {
            Issue.record("expected the update")
            return
        }
        #expect(after.events.count == 2)
    }

    @Test func closingWakesTheConsumerWithNothing() async {
        let backlog = UpdateBacklog()
        async let taken = Task.detached { backlog.take() }.value
        try? await Task.sleep(nanoseconds: 50_000_000)
        backlog.close()
        #expect(await taken.isEmpty)
        backlog.post(update(1, lost: 0))
        #expect(backlog.backlog == 0)
    }
}
