@testable import Engine
import Foundation
import Glibc
import Testing

/// The discovery engine and the scan paths, against real processes.
extension SystemTests {
    @Suite struct EngineSystemTests {
        /// Keeps the engine's latest state; the engine publishes on its own queue.
        final class Latest: @unchecked Sendable {
            private let lock = NSLock()
            private var state = EngineState()
            private var events: [EngineEvent] = []

            func record(_ update: EngineUpdate) {
                lock.withLock {
                    state = update.state
                    events += update.events.map(\.event)
                }
            }

            func wait(timeout: Double = 10, _ condition: (EngineState, [EngineEvent]) -> Bool) -> Bool {
                let deadline = Date().addingTimeInterval(timeout)
                while Date() < deadline {
                    if lock.withLock({ condition(state, events) }) { return true }
                    usleep(10_000)
                }
                return false
            }
        }

        func engine(_ options: EngineOptions) -> (DiscoveryEngine, Latest) {
            let engine = DiscoveryEngine(options: options)
            let latest = Latest()
            engine.start { latest.record($0) }
            return (engine, latest)
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func forkedChildInheritingAListenerIsDiscoveredFromKernelEvents() throws {
            let base = TestPorts.free()
            let criteria = Criteria(openPorts: PortRanges([base...base]))
            // A sweep far in the future: only kernel events can find the helper in time.
            let (engine, latest) = engine(EngineOptions(criteria: criteria, sweepInterval: 3600))
            defer { engine.stop() }
            #expect(latest.wait(timeout: Timeouts.startup) { state, _ in state.mode.isEBPF && state.lastFullScanAt > 0 })
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "fork"])
            let child = try #require(helper.pids("children").first)
            let found = latest.wait(timeout: 5) { state, _ in
                let pids = Set(state.processes.filter { $0.ports?.contains { $0.socket.port == base } == true }.map(\.pid))
                return pids.contains(helper.pid) && pids.contains(child)
            }
            #expect(found)
            #expect(latest.wait(timeout: 1) { state, events in
                state.matchedCount >= 2 && events.contains { if case .matched(let r, _) = $0 { r.pid == child } else { false } }
            })
        }

        /// The monitor's prompt changes the ports: a process that now matches brings its
        /// port-less child along (found by the full scan that follows a criteria change), and
        /// the child goes again when the parent stops matching. In poll mode with a long
        /// interval, so only the criteria change can find the child.
        @Test func criteriaChangeFindsAndDropsPortlessChildren() throws {
            let port = TestPorts.free()
            var criteria = Criteria(openPorts: PortRanges([1...1]))
            criteria.minProcessAgeSeconds = 0
            let (engine, latest) = engine(EngineOptions(criteria: criteria, useEBPF: false, pollInterval: 3600))
            defer { engine.stop() }
            let helper = try Helper(script: Scripts.listenerWithChild, arguments: [String(port)])
            let child = try #require(helper.pids("children").first)
            // A first criteria change with the old ports also rescans: the listener is now known.
            engine.setCriteria(criteria)
            #expect(latest.wait { state, _ in state.processes.contains { $0.pid == helper.pid } })
            #expect(latest.wait(timeout: 1) { state, _ in !state.processes.contains { $0.pid == child } })
            engine.setCriteria(criteria.withTopLevelPorts(PortRanges([port...port])))
            let inherited = latest.wait { state, _ in
                state.processes.first { $0.pid == child }.flatMap { state.verdicts[$0.identity] }?.state == .inherited
            }
            #expect(inherited)
            engine.setCriteria(criteria)
            #expect(latest.wait { state, _ in !state.processes.contains { $0.pid == child } })
        }

        /// The parent's listen and the child's fork in one ring-buffer batch: the fork must count
        /// as relevant although the parent was not a known listener before the batch.
        @Test func forkInTheSameBatchAsTheParentsListenRescansTheChild() throws {
            let base = TestPorts.free()
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "fork"])
            let child = try #require(helper.pids("children").first)
            let parentSocket = try #require(Scanner().fullScan().processes.first { $0.pid == helper.pid }?.ports?.first { $0.socket.port == base })
            func event(_ kind: KernelEvent.Kind, pid: Int32, ppid: Int32) -> KernelEvent {
                let s = parentSocket.socket
                return KernelEvent(
                    kind: kind, monotonicNanos: MonotonicClock.nanos(), pid: pid, tid: pid, ppid: ppid, result: 0, netns: s.netns,
                    inode: kind == .listen ? s.inode : 0, family: s.family, proto: s.proto, protocolNumber: 6, port: kind == .listen ? s.port : 0,
                    address: s.address, comm: "python3")
            }
            let engine = DiscoveryEngine(options: EngineOptions(useEBPF: false))
            engine.handle([event(.listen, pid: helper.pid, ppid: 1), event(.fork, pid: child, ppid: helper.pid)])
            let known = Set(engine.knownPIDs)
            #expect(known.contains(helper.pid))
            #expect(known.contains(child))
        }

        /// The socket-state hook sees an auto-bound listen before the kernel picks its port;
        /// the listen event the engine publishes carries the real port all the same.
        @Test(.enabled(if: Capabilities.current.canLoadTracing, "loading eBPF programs needs CAP_BPF+CAP_PERFMON"))
        func autoBoundListenCarriesTheRealPort() throws {
            let (engine, latest) = engine(EngineOptions(sweepInterval: 3600))
            defer { engine.stop() }
            #expect(latest.wait(timeout: Timeouts.startup) { state, _ in state.mode.isEBPF && state.lastFullScanAt > 0 })
            let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            defer { socket.close() }
            #expect(socket.listen() == 0)
            let port = socket.port
            let inode = socket.inode
            #expect(latest.wait(timeout: 5) { _, events in
                events.contains { if case .kernel(let k, _) = $0 { k.kind == .listen && k.inode == inode && k.port == port } else { false } }
            })
            #expect(latest.wait(timeout: 1) { state, _ in
                state.processes.contains { $0.pid == getpid() && $0.ports?.contains { $0.socket.port == port } == true }
            })
        }

        /// A UDP socket closed while its process lives is noticed at once (cgroup sock_release),
        /// not at the next sweep: the process is `changed` without that port.
        @Test(.enabled(if: KernelHooks.survey.offers(.release, .cgroup), "no cgroup sock_release hook here"))
        func closingAUDPSocketIsNoticedAtOnce() throws {
            let (engine, latest) = engine(EngineOptions(sweepInterval: 3600))
            defer { engine.stop() }
            #expect(latest.wait(timeout: Timeouts.startup) { state, _ in state.mode.isEBPF && state.lastFullScanAt > 0 })
            let socket = TestSocket(AF_INET, Int32(SOCK_DGRAM.rawValue))
            let port = TestPorts.free()
            #expect(socket.bind("127.0.0.1", port) == 0)
            func holds(_ state: EngineState) -> Bool {
                state.processes.contains { $0.pid == getpid() && $0.ports?.contains { $0.socket.port == port && $0.socket.proto == .udp } == true }
            }
            #expect(latest.wait(timeout: 5) { state, _ in holds(state) })
            socket.close()
            #expect(latest.wait(timeout: 2) { state, events in
                !holds(state) && events.contains { if case .changed(let old, _) = $0 { old.pid == getpid() } else { false } }
                    || !holds(state) && events.contains { if case .deleted(let r) = $0 { r.pid == getpid() } else { false } }
            })
        }

        /// No hook reports a descriptor passed over a Unix socket, nor the sender closing its copy
        /// (the socket stays open), so the handover shows at the next sweep: the documented window
        /// (README, "Descriptor passing") is one sweep interval.
        @Test(.enabled(if: Capabilities.current.canLoadTracing, "loading eBPF programs needs CAP_BPF+CAP_PERFMON"))
        func aListenerHandedOverBySCMRightsMovesToItsReceiverWithinOneSweep() throws {
            let port = TestPorts.free()
            let (engine, latest) = engine(EngineOptions(sweepInterval: 2))
            defer { engine.stop() }
            #expect(latest.wait(timeout: Timeouts.startup) { state, _ in state.mode.isEBPF && state.lastFullScanAt > 0 })
            let helper = try Helper(script: Scripts.handsOverAListener, arguments: [String(port)])
            let receiver = try #require(helper.pids("children").first)
            func holders(_ state: EngineState) -> Set<Int32> {
                Set(state.processes.filter { $0.ports?.contains { $0.socket.port == port } == true }.map(\.pid))
            }
            #expect(latest.wait(timeout: 2 + 3) { state, _ in holders(state) == [receiver] }, "sender \(helper.pid), receiver \(receiver)")
        }

        @Test func pollModeFindsAListenerAndSaysWhy() throws {
            let base = TestPorts.free()
            let (engine, latest) = engine(EngineOptions(criteria: Criteria(openPorts: PortRanges([base...base])), useEBPF: false, pollInterval: 0.2))
            defer { engine.stop() }
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            #expect(latest.wait { state, _ in state.processes.contains { $0.pid == helper.pid } })
            #expect(latest.wait(timeout: 1) { state, events in
                state.mode.description == "poll 0.2s: --no-ebpf"
                    && events.contains { if case .info(.mode(let mode, _)) = $0 { mode == state.mode } else { false } }
            })
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func iteratorAndProcScansAgree() throws {
            let base = TestPorts.free()
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "fork"])
            let namespaced = try Helper(
                script: Scripts.listeners, arguments: [String(TestPorts.free()), "wildcard"], prefix: ["/usr/bin/unshare", "--net"])
            let viaIterator = Scanner(iterator: try IteratorScan()).fullScan()
            let viaProc = Scanner().fullScan()
            #expect(viaIterator.report.source == "bpf-iterator")
            // netlink, or /proc/net where the kernel has no diag modules loaded (the qemu guests).
            #expect(["netlink", "proc-net"].contains(viaProc.report.source))
            func key(_ snapshot: Snapshot) -> Set<String> {
                Set(snapshot.processes.flatMap { p in
                    (p.ports ?? []).map { "\(p.identity) \(p.ppid) \(p.comm) \(p.exe ?? "?") \($0.socket.proto) \($0.socket.family) \($0.socket.address) \($0.socket.port) \($0.socket.inode) \($0.socket.netns) fd\($0.fd)" }
                })
            }
            #expect(key(viaIterator) == key(viaProc))
            #expect(viaIterator.processes.contains { $0.pid == helper.pid })
            #expect(viaIterator.processes.contains { $0.pid == namespaced.pid })
            // The population (every process and its parent) agrees too, for processes that
            // lived through both reads.
            let tasks = try IteratorScan(tasks: true).tasks()
            let stats = Scanner().population()
            let both = Set(tasks.keys).intersection(stats.keys)
            #expect(both.count > 2 && both.count >= min(tasks.count, stats.count) - 5)
            #expect(both.allSatisfy { tasks[$0]!.ppid == stats[$0]!.ppid && tasks[$0]!.startTime == stats[$0]!.startTime })
            #expect(tasks[helper.pids("children")[0]]?.ppid == helper.pid)
            #expect(tasks[getpid()] != nil)
        }
    }
}
