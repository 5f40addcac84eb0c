@testable import Engine
import Glibc
@testable import App

/// Monitor states built from made-up engine states, for render and key tests.
enum MonitorFixture {
    /// Events as the engine publishes them, stamped now.
    static func timed(_ events: EngineEvent...) -> [TimedEvent] {
        events.map { TimedEvent($0, time: WallClock.now()) }
    }

    static func record(pid: Int32, ports: [UInt16], comm: String = "python3", exe: String = "/usr/bin/python3", user: String = "root") -> ProcessRecord {
        ProcessRecord(
            identity: ProcessIdentity(pid: pid, startTime: UInt64(pid) * 10), ppid: 1, comm: comm, exe: exe,
            uid: 0, user: user, netns: 4026531840,
            ports: ports.map { HeldSocket(socket: ListeningSocket(proto: .tcp, family: .ipv4, address: "0.0.0.0", port: $0, inode: UInt64($0)), fd: 3) },
            isReady: true)
    }

    static func event(_ kind: KernelEvent.Kind, pid: Int32, port: UInt16, result: Int32 = 0) -> KernelEvent {
        KernelEvent(
            kind: kind, monotonicNanos: MonotonicClock.nanos(), pid: pid, tid: pid, ppid: 1, result: result, netns: 1, inode: UInt64(port),
            family: .ipv4, proto: .tcp, protocolNumber: 6, port: port, address: "127.0.0.1", comm: "python3")
    }

    /// Three processes, the one on 8080 matched by `-p 8080`, and two bind events.
    static func state(criteria ports: String = "8080") throws -> MonitorState {
        var engine = EngineState()
        let criteria = Criteria(openPorts: try PortRanges(parsing: ports))
        engine.criteria = criteria
        engine.mode = .ebpf(hooks: WatcherHooks(tiers: [.bind: .tracepoint, .state: .tpBTF, .fork: .tpBTF, .exec: .tpBTF, .exit: .tpBTF]), sweepSeconds: 30)
        engine.processes = [record(pid: 100, ports: [22], comm: "sshd", exe: "/usr/sbin/sshd"), record(pid: 200, ports: [8080]), record(pid: 300, ports: [9090], comm: "nginx", exe: "/usr/sbin/nginx", user: "www-data")]
        let matcher = Matcher(criteria: criteria, selfPID: getpid())
        for p in engine.processes { engine.verdicts[p.identity] = matcher.verdict(for: p) }
        for p in engine.processes where engine.verdicts[p.identity]!.matched { engine.matchedAt[p.identity] = WallClock.now() }
        var state = MonitorState()
        state.apply(EngineUpdate(events: timed(.kernel(event(.bind, pid: 200, port: 8080), relevant: true), .kernel(event(.bind, pid: 300, port: 8080, result: -98), relevant: true)), state: engine), at: WallClock.now())
        state.now = WallClock.now()
        return state
    }

    /// `state` after the engine publishes its state changed by `change`, with no events.
    static func publish(_ state: inout MonitorState, at wall: UInt64 = WallClock.now(), _ change: (inout EngineState) -> Void) {
        var engine = state.engine
        change(&engine)
        state.apply(EngineUpdate(events: [], state: engine), at: wall)
    }

    static func screen(_ state: MonitorState, width: Int = 120, height: Int = 36) -> ScreenGrid {
        MonitorRenderer.render(state, width: width, height: height).grid
    }
}
