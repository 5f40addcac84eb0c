import Engine
import Foundation
import Glibc
import Testing

/// What this kernel offers, probed once for every test that needs a particular tier.
enum KernelHooks {
    static let survey = HookSurvey.run()

    /// Every (concern, tier) pair discotop knows, for parameterized tests.
    static let allPairs: [(HookConcern, HookTier)] = HookConcern.allCases.flatMap { c in c.tiers.map { (c, $0) } }

    /// A bind tier that reports failed binds, if this kernel has one.
    static var failureSeeingBindTier: HookTier? {
        HookConcern.bind.tiers.first { $0 != .cgroup && survey.offers(.bind, $0) }
    }
}

/// The real watcher programs, loaded into this kernel. Each test opens sockets from this test
/// process on a port of its own and keeps only events with our pid and that port.
extension SystemTests {
    @Suite(.enabled(if: Capabilities.current.canLoadTracing, "loading eBPF programs needs CAP_BPF+CAP_PERFMON or root"))
    struct KernelWatcherTests {
        let watcher: KernelWatcher
        let pid = getpid()

        init() throws {
            watcher = try KernelWatcher()
        }

        /// Collects events until `done` says the needed ones have arrived, or 5 seconds pass.
        static func collect(_ watcher: KernelWatcher, _ keep: (KernelEvent) -> Bool, until done: ([KernelEvent]) -> Bool) -> [KernelEvent] {
            var events: [KernelEvent] = []
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline, !done(events) {
                events += watcher.wait(milliseconds: 100).filter(keep)
            }
            return events
        }

        func collect(_ keep: (KernelEvent) -> Bool, until done: ([KernelEvent]) -> Bool) -> [KernelEvent] {
            Self.collect(watcher, keep, until: done)
        }

        static func ours(port: UInt16) -> (KernelEvent) -> Bool {
            { $0.pid == getpid() && $0.port == port }
        }

        func ours(port: UInt16) -> (KernelEvent) -> Bool { Self.ours(port: port) }

        /// A free port, with the events of finding it (a bind to port 0) thrown away.
        func freshPort() -> UInt16 {
            let port = TestPorts.free()
            _ = watcher.drain()
            return port
        }

        @Test func eachConcernGetsTheFirstTierTheKernelOffers() {
            let survey = KernelHooks.survey
            for concern in HookConcern.allCases {
                let best = concern.tiers.first { survey.offers(concern, $0) }
                #expect(watcher.hooks[concern] == best, "\(concern): \(watcher.passedOver)")
                // Every tier passed over is better than the one chosen, and says why.
                for attempt in watcher.passedOver where attempt.concern == concern {
                    let rank = concern.tiers.firstIndex(of: attempt.tier)!
                    #expect(best.map { rank < concern.tiers.firstIndex(of: $0)! } ?? true, "\(attempt)")
                }
            }
            #expect(watcher.hooks.description.contains("bind=\(watcher.hooks.bind?.rawValue ?? "off")"))
        }

        /// The reason a tier is passed over is the real cause, found by probing, never a guess
        /// from libbpf's text: without tracefs it says so, without kprobes it says so.
        @Test func passedOverTiersNameTheirRealCause() {
            let tracefs = FileManager.default.fileExists(atPath: "/sys/kernel/tracing/events/syscalls")
                || FileManager.default.fileExists(atPath: "/sys/kernel/debug/tracing/events/syscalls")
            let kprobes = FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe")
            let byTier = Dictionary(KernelHooks.survey.entries.filter { $0.concern == .bind }.map { ($0.tier, $0.unavailable) }) { a, _ in a }
            if !tracefs {
                let reason = byTier[.tracepoint] ?? nil
                var saysTracefs = false
                if case .tracefsNotMounted = reason { saysTracefs = true }
                #expect(saysTracefs, "tracefs absent, yet the tracepoint tier says: \(String(describing: reason))")
            }
            if !kprobes { #expect(byTier[.kprobe] == .some(.kprobesNotCompiled)) }
        }

        /// Forcing a tier gives exactly that tier where the kernel offers it, and a typed refusal
        /// naming the probe's reason where it does not; the events of that concern arrive.
        @Test(arguments: KernelHooks.allPairs)
        func everyOfferedTierDeliversItsEvents(concern: HookConcern, tier: HookTier) throws {
            guard KernelHooks.survey.offers(concern, tier) else {
                do {
                    _ = try KernelWatcher(forced: [concern: tier])
                    Issue.record("\(concern) \(tier) loaded although the probe refused it")
                } catch {
                    guard case .notAvailable(let c, let t, _) = error else { Issue.record("\(error)"); return }
                    #expect(c == concern && t == tier)
                }
                return
            }
            let forced = try KernelWatcher(forced: [concern: tier])
            #expect(forced.hooks[concern] == tier)
            switch concern {
            case .bind:
                let socket = TestSocket(AF_INET, Int32(SOCK_DGRAM.rawValue))
                defer { socket.close() }
                let port = TestPorts.free()
                _ = forced.drain()
                #expect(socket.bind("127.0.0.1", port) == 0)
                let events = Self.collect(forced, Self.ours(port: port)) { $0.contains { $0.kind == .bind } }
                #expect(events.contains { $0.kind == .bind && $0.proto == .udp && $0.result == 0 && $0.address == "127.0.0.1" })
            case .state:
                let port = TestPorts.free()
                _ = forced.drain()
                let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
                #expect(socket.bind("127.0.0.1", port) == 0 && socket.listen() == 0)
                let inode = socket.inode
                socket.close()
                let events = Self.collect(forced, Self.ours(port: port)) { $0.contains { $0.kind == .close } }
                #expect(events.filter { $0.kind != .bind }.map(\.kind) == [.listen, .close])
                #expect(events.filter { $0.kind != .bind }.allSatisfy { $0.inode == inode && $0.proto == .tcp })
            case .release:
                _ = forced.drain()
                let socket = TestSocket(AF_INET6, Int32(SOCK_DGRAM.rawValue))
                #expect(socket.bind("::1", TestPorts.free()) == 0)
                socket.close()
                let events = Self.collect(forced, { $0.pid == getpid() && $0.kind == .close }) { !$0.isEmpty }
                #expect(events.contains { $0.proto == .udp && $0.family == .ipv6 })
            case .fork, .exec, .exit:
                let child = try Self.spawnTrue()
                let events = Self.collect(forced, { $0.pid == child }) { $0.contains { $0.kind == concern.kind } }
                switch concern {
                case .fork: #expect(events.first { $0.kind == .fork }?.ppid == getpid())
                case .exec: #expect(events.contains { $0.kind == .exec && $0.comm == "true" })
                default: #expect(events.contains { $0.kind == .exit })
                }
            }
        }

        @Test func listenAndCloseCarryEveryField() throws {
            let port = freshPort()
            let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            #expect(socket.bind("127.0.0.1", port) == 0)
            #expect(socket.listen() == 0)
            let inode = socket.inode
            socket.close()
            let events = collect(ours(port: port)) { $0.contains { $0.kind == .close } }
            #expect(events.map(\.kind) == [.bind, .listen, .close])
            let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
            for event in events {
                #expect(event.pid == pid)
                #expect(event.tid > 0)
                #expect(event.comm == comm)
                #expect(event.family == .ipv4 && event.proto == .tcp)
                #expect(event.address == "127.0.0.1")
                // A cgroup bind hook has no socket inode; the engine fills it in from its rescan.
                if event.kind != .bind || watcher.hooks.bind != .cgroup {
                    #expect(event.inode == inode)
                    #expect(event.netns == ownNetns())
                }
            }
            #expect(events.first?.result == 0)
        }

        @Test func ipv6ListenAndUDPBindAreReported() {
            let port = freshPort()
            let tcp = TestSocket(AF_INET6, Int32(SOCK_STREAM.rawValue))
            let udp = TestSocket(AF_INET6, Int32(SOCK_DGRAM.rawValue))
            defer { tcp.close(); udp.close() }
            #expect(tcp.bind("::1", port) == 0 && tcp.listen() == 0)
            #expect(udp.bind("::", port) == 0)
            let events = collect(ours(port: port)) { $0.count >= 3 }
            #expect(events.contains { $0.kind == .listen && $0.family == .ipv6 && $0.address == "::1" && $0.proto == .tcp })
            #expect(events.contains { $0.kind == .bind && $0.family == .ipv6 && $0.address == "::" && $0.proto == .udp })
        }

        @Test(.enabled(if: KernelHooks.failureSeeingBindTier != nil, "no bind hook here sees failed binds"))
        func failedBindReportsItsError() throws {
            let watcher = try KernelWatcher(forced: [.bind: KernelHooks.failureSeeingBindTier!])
            let port = TestPorts.free()
            _ = watcher.drain()
            let first = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            let second = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            defer { first.close(); second.close() }
            #expect(first.bind("127.0.0.1", port) == 0 && first.listen() == 0)
            #expect(second.bind("127.0.0.1", port) == -EADDRINUSE)
            let events = Self.collect(watcher, ours(port: port)) { $0.filter { $0.kind == .bind }.count >= 2 }
            let binds = events.filter { $0.kind == .bind }
            #expect(binds.map(\.result) == [0, -EADDRINUSE])
            #expect(ErrnoName.of(result: binds.last?.result ?? 0) == "EADDRINUSE")
        }

        /// The socket-state hook fires before the kernel picks an auto-bound listen's port: the
        /// event names the socket (inode), and the engine takes the port from its rescan
        /// (EngineSystemTests.autoBoundListenCarriesTheRealPort).
        @Test func autoBoundListenNamesItsSocket() {
            let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            defer { socket.close() }
            _ = watcher.drain()
            #expect(socket.listen() == 0)  // no bind: the kernel picks the port inside listen()
            let inode = socket.inode
            let events = collect({ $0.pid == getpid() && $0.inode == inode }) { $0.contains { $0.kind == .listen } }
            #expect(events.contains { $0.kind == .listen && $0.proto == .tcp })
        }

        /// 12,000 bind+close pairs without draining overflow the 1 MiB ring (about 13,000
        /// events): the per-CPU lost counter must say so, which is what makes the engine rescan
        /// everything. Successful binds, so every bind tier reports them.
        @Test func aFullRingBufferIsCounted() {
            _ = watcher.drain()
            #expect(watcher.lostEvents() == 0)
            let rounds = 12_000
            for _ in 0..<rounds {
                let socket = TestSocket(AF_INET, Int32(SOCK_DGRAM.rawValue))
                socket.bind("127.0.0.1", 0)
                socket.close()
            }
            let lost = watcher.lostEvents()
            #expect(lost > 1_000, "lost \(lost)")
            let kept = watcher.drain().filter { $0.pid == pid && $0.kind == .bind }.count
            #expect(UInt64(kept) + lost >= UInt64(rounds))
        }

        @Test func forkExecAndExitOfAChildArrive() throws {
            let child = try Self.spawnTrue()
            let events = collect({ $0.pid == child }) { $0.contains { $0.kind == .exit } }
            let fork = events.first { $0.kind == .fork }
            #expect(fork?.ppid == pid)
            #expect(events.contains { $0.kind == .exec && $0.comm == "true" })
            #expect(events.map(\.kind).last == .exit)
        }

        /// Runs /bin/true to completion; returns its pid.
        static func spawnTrue() throws -> pid_t {
            var child: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
            defer { free(argv[0]) }
            #expect(posix_spawn(&child, "/bin/true", nil, nil, argv, environ) == 0)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            return child
        }
    }
}

extension HookConcern {
    /// The event kind a process concern reports.
    var kind: KernelEvent.Kind {
        switch self {
        case .fork: .fork
        case .exec: .exec
        case .exit: .exit
        case .bind: .bind
        case .state: .listen
        case .release: .close
        }
    }
}
