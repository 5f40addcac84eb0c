import Testing
@testable import Engine

@Suite struct SnapshotDifferTests {
    @Test func newProcessIsCreatedOnce() {
        var differ = SnapshotDiffer()
        let p = Fixture.process(pid: 10)
        #expect(differ.apply(Fixture.snapshot(p)) == [.created(p)])
        #expect(differ.apply(Fixture.snapshot(p)) == [])
    }

    @Test func goneProcessIsDeleted() {
        var differ = SnapshotDiffer()
        let p = Fixture.process(pid: 10)
        _ = differ.apply(Fixture.snapshot(p))
        #expect(differ.apply(Fixture.snapshot()) == [.deleted(p)])
        #expect(differ.known.isEmpty)
    }

    @Test func newPortOnAKnownProcessIsACreateWithTheFullList() {
        var differ = SnapshotDiffer()
        _ = differ.apply(Fixture.snapshot(Fixture.process(pid: 10, ports: [8080])))
        let grown = Fixture.process(pid: 10, ports: [8080, 9090])
        #expect(differ.apply(Fixture.snapshot(grown)) == [.created(grown)])
    }

    @Test func closedPortIsAChange() {
        var differ = SnapshotDiffer()
        let before = Fixture.process(pid: 10, ports: [8080, 9090])
        _ = differ.apply(Fixture.snapshot(before))
        let after = Fixture.process(pid: 10, ports: [8080])
        #expect(differ.apply(Fixture.snapshot(after)) == [.changed(old: before, new: after)])
    }

    @Test func execIsAChange() {
        var differ = SnapshotDiffer()
        let before = Fixture.process(pid: 10, exe: "/bin/sh", comm: "sh")
        _ = differ.apply(Fixture.snapshot(before))
        let after = Fixture.process(pid: 10, exe: "/usr/bin/python3", comm: "python3")
        #expect(differ.apply(Fixture.snapshot(after)) == [.changed(old: before, new: after)])
    }

    @Test func recycledPIDIsADeletePlusACreate() {
        var differ = SnapshotDiffer()
        let old = Fixture.process(pid: 10, start: 100)
        _ = differ.apply(Fixture.snapshot(old))
        let newcomer = Fixture.process(pid: 10, start: 200)
        #expect(differ.apply(Fixture.snapshot(newcomer)) == [.deleted(old), .created(newcomer)])
    }

    @Test func notReadyProcessWaitsForALaterScan() {
        var differ = SnapshotDiffer()
        #expect(differ.apply(Fixture.snapshot(Fixture.process(pid: 10, exe: nil, ready: false))) == [])
        let ready = Fixture.process(pid: 10)
        #expect(differ.apply(Fixture.snapshot(ready)) == [.created(ready)])
    }

    @Test func knownProcessMomentarilyNotReadyKeepsItsRecord() {
        var differ = SnapshotDiffer()
        let p = Fixture.process(pid: 10)
        _ = differ.apply(Fixture.snapshot(p))
        #expect(differ.apply(Fixture.snapshot(Fixture.process(pid: 10, exe: nil, ready: false))) == [])
        #expect(differ.known[p.identity] == p)
    }

    @Test func portsBecomingKnownIsACreate() {
        var differ = SnapshotDiffer()
        _ = differ.apply(Fixture.snapshot(Fixture.process(pid: 10, ports: nil)))
        let known = Fixture.process(pid: 10, ports: [80])
        #expect(differ.apply(Fixture.snapshot(known)) == [.created(known)])
    }
}

@Suite struct PartialDiffTests {
    @Test func partialScanTouchesOnlyItsScope() {
        var differ = SnapshotDiffer()
        let a = Fixture.process(pid: 10)
        let b = Fixture.process(pid: 20)
        _ = differ.apply(Fixture.snapshot(a, b))
        #expect(differ.apply([], scope: [10]) == [.deleted(a)])
        #expect(differ.known[b.identity] == b)
    }

    @Test func partialScanCreatesAndGrowsWithinScope() {
        var differ = SnapshotDiffer()
        _ = differ.apply(Fixture.snapshot(Fixture.process(pid: 10, ports: [80])))
        let grown = Fixture.process(pid: 10, ports: [80, 443])
        let newcomer = Fixture.process(pid: 30, ports: [53])
        #expect(differ.apply([grown, newcomer], scope: [10, 30]) == [.created(grown), .created(newcomer)])
    }
}
