@testable import Engine
import Glibc
@testable import App

/// A monitor state with nothing taken from the host or the clock: a pre-fork nginx with two
/// workers and a port-less child that inherits its match, sshd running since boot, a python
/// server started after the monitor, and bind events (one failed). What golden screens render.
enum MonitorGoldenFixture {
    /// 2025-06-15 12:00:00 UTC: the frame's "now".
    static let now: UInt64 = 1_749_988_800 * 1_000_000_000
    static let second: UInt64 = 1_000_000_000
    /// The machine booted ten days before, the monitor started ten minutes before.
    static let boot = now - 10 * 86_400 * second
    static let monitorStart = now - 600 * second
    /// Clock ticks (USER_HZ, 100 on Linux) since boot for a process started `ago` seconds before now.
    static func ticks(startedAgo seconds: UInt64) -> UInt64 { (10 * 86_400 - seconds) * 100 }

    static func record(pid: Int32, ppid: Int32, startedAgo: UInt64, comm: String, exe: String, user: String = "root", ports: [UInt16]) -> ProcessRecord {
        ProcessRecord(
            identity: ProcessIdentity(pid: pid, startTime: ticks(startedAgo: startedAgo)), ppid: ppid, comm: comm, exe: exe,
            uid: user == "root" ? 0 : 33, user: user, netns: 4026531840,
            ports: ports.map { HeldSocket(socket: ListeningSocket(proto: .tcp, family: .ipv4, address: "0.0.0.0", port: $0, inode: UInt64($0)), fd: 3) },
            isReady: true)
    }

    static func event(_ kind: KernelEvent.Kind, pid: Int32, comm: String, port: UInt16, result: Int32 = 0) -> KernelEvent {
        KernelEvent(
            kind: kind, monotonicNanos: 0, pid: pid, tid: pid, ppid: 1, result: result, netns: 1, inode: UInt64(port),
            family: .ipv4, proto: .tcp, protocolNumber: 6, port: port, address: "0.0.0.0", comm: comm)
    }

    static let nginx = "/opt/nginx/sbin/nginx"

    static func state() throws -> MonitorState {
        setenv("TZ", "UTC", 1)
        tzset()
        var engine = EngineState()
        let criteria = Criteria(openPorts: try PortRanges(parsing: "8080,9090"))
        engine.criteria = criteria
        engine.mode = .ebpf(hooks: WatcherHooks(tiers: [.bind: .tracepoint, .state: .tpBTF, .fork: .tpBTF, .exec: .tpBTF, .exit: .tpBTF]), sweepSeconds: 30)
        let python = "/root/.pyenv/versions/3.11.7/bin/python3.11"
        engine.processes = [
            record(pid: 812, ppid: 1, startedAgo: 7200, comm: "nginx", exe: nginx, ports: [9090]),
            record(pid: 813, ppid: 812, startedAgo: 7199, comm: "nginx", exe: nginx, user: "www-data", ports: [9090]),
            record(pid: 814, ppid: 812, startedAgo: 7199, comm: "nginx", exe: nginx, user: "www-data", ports: [9090]),
            record(pid: 815, ppid: 812, startedAgo: 7198, comm: "nginx", exe: nginx, user: "www-data", ports: []),
            record(pid: 641, ppid: 1, startedAgo: 86_400 * 9, comm: "sshd", exe: "/usr/sbin/sshd", ports: [22]),
            record(pid: 4242, ppid: 1, startedAgo: 90, comm: "python3", exe: python, ports: [8080, 8081]),
        ]
        let matcher = Matcher(criteria: criteria, selfPID: 1)
        for p in engine.processes { engine.verdicts[p.identity] = matcher.verdict(for: p) }
        let child = engine.processes.first { $0.pid == 815 }!
        var inherited = MatchVerdict(state: .inherited, selectors: ["command line"])
        inherited.inheritedFrom = 812
        engine.verdicts[child.identity] = inherited
        for p in engine.processes where engine.verdicts[p.identity]!.matched { engine.matchedAt[p.identity] = now - 80 * second }
        var state = MonitorState()
        state.bootWallNanos = boot
        state.startedAt = monitorStart
        let events = [
            TimedEvent(.kernel(event(.bind, pid: 4242, comm: "python3", port: 8080), relevant: true), time: now - 85 * second),
            TimedEvent(.kernel(event(.listen, pid: 4242, comm: "python3", port: 8080), relevant: true), time: now - 85 * second),
            TimedEvent(.kernel(event(.bind, pid: 4243, comm: "python3", port: 8080, result: -98), relevant: true), time: now - 30 * second),
        ]
        state.apply(EngineUpdate(events: events, state: engine), at: now - 20 * second)
        state.now = now
        return state
    }

    /// The views the golden screens cover, each opened by its keys.
    enum View: String, CaseIterable {
        case main, help, inspect, tree, filter, signalMenu = "signal-menu"
    }

    static func state(_ view: View) throws -> MonitorState {
        var state = try state()
        switch view {
        case .main: break
        case .help: _ = state.handle(.function(1))
        case .inspect:
            let record = try require(state.engine.records.values.first { $0.pid == 4242 })
            state.inspecting = InspectState(record: record, inspection: Inspection(pid: 4242, title: "Inspect pid 4242 (python3)", lines: [
                .init(label: "exe", value: record.exe!),
                .init(label: "cmdline", value: "/root/.pyenv/versions/3.11.7/bin/python3.11 -m http.server --bind 0.0.0.0 8080 --directory /srv/www/static/public"),
                .init(label: "user", value: "root (uid 0)"),
                .init(label: "parents", value: "1 systemd"),
                .init(label: "matched", value: "yes, by command line: open_ports 8080", style: .match),
                .init(label: "language", value: "Python"),
            ]))
        case .tree: _ = state.handle(.function(5))
        case .filter:
            _ = state.handle(.character("\\"))
            for c in "nginx" { _ = state.handle(.character(c)) }
        case .signalMenu:
            state.panes.processes.selectedPID = 813
            _ = state.handle(.character(" "))
            _ = state.handle(.character(" "))
            _ = state.handle(.character("k"))
        }
        return state
    }
}

private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw FixtureError() }
    return value
}

private struct FixtureError: Error {}
