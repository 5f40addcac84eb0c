import Engine
import Foundation
import Glibc
import Testing

/// The real watcher programs, loaded into this kernel. Each test opens sockets from this test
/// process on a port of its own and keeps only events with our pid and that port.
extension SystemTests {
    @Suite(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root")) struct KernelWatcherTests {
        let watcher: KernelWatcher
        let pid = getpid()

        init() throws {
            watcher = try KernelWatcher()
        }

        /// Collects events until `done` says the needed ones have arrived, or 5 seconds pass.
        func collect(_ keep: (KernelEvent) -> Bool, until done: ([KernelEvent]) -> Bool) -> [KernelEvent] {
            var events: [KernelEvent] = []
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline, !done(events) {
                events += watcher.wait(milliseconds: 100).filter(keep)
            }
            return events
        }

        func ours(port: UInt16) -> (KernelEvent) -> Bool {
            { $0.pid == getpid() && $0.port == port }
        }

        /// A free port, with the events of finding it (a bind to port 0) thrown away.
        func freshPort() -> UInt16 {
            let port = TestPorts.free()
            _ = watcher.drain()
            return port
        }

        @Test func picksTheBestHookTheKernelAllowsAndSaysWhich() {
            let kprobes = FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe")
            if kprobes { #expect(watcher.hooks.bind != .tracepoint, "kprobes exist, yet: \(watcher.passedOver)") }
            for reason in watcher.passedOver {
                let tier = BindHook.allCases.first { reason.hasPrefix($0.rawValue) }
                #expect(tier.map { $0 <= watcher.hooks.bind } == true, "\(reason)")
            }
            #expect(watcher.hooks.description.contains("bind=\(watcher.hooks.bind.rawValue)"))
        }

        @Test(arguments: BindHook.allCases)
        func eachForcedTierLoadsItselfOrALowerOne(tier: BindHook) throws {
            let forced = try KernelWatcher(bind: tier)
            #expect(forced.hooks.bind >= tier)
            // Where the kernel has kprobes, forcing that tier must give exactly it (a silent
            // fall to tracepoints would hide a broken kprobe program); tracepoints always exist.
            let kprobes = FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe")
            if tier == .tracepoint || (tier == .kprobe && kprobes) { #expect(forced.hooks.bind == tier, "\(forced.passedOver)") }
            let socket = TestSocket(AF_INET, Int32(SOCK_DGRAM.rawValue))
            defer { socket.close() }
            let port = TestPorts.free()
            _ = forced.drain()
            #expect(socket.bind("127.0.0.1", port) == 0)
            var events: [KernelEvent] = []
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline, !events.contains(where: { $0.kind == .bind }) {
                events += forced.wait(milliseconds: 100).filter(ours(port: port))
            }
            #expect(events.contains { $0.kind == .bind && $0.proto == .udp && $0.result == 0 })
        }

        @Test func bindListenAndCloseCarryEveryField() throws {
            let port = freshPort()
            let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            #expect(socket.bind("127.0.0.1", port) == 0)
            #expect(socket.listen() == 0)
            let inode = socket.inode
            socket.close()
            let events = collect(ours(port: port)) { $0.contains { $0.kind == .close } }
            let kinds = events.map(\.kind)
            #expect(kinds == [.bind, .listen, .close])
            let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
            for event in events {
                #expect(event.pid == pid)
                #expect(event.tid > 0)
                #expect(event.comm == comm)
                #expect(event.family == .ipv4 && event.proto == .tcp)
                #expect(event.address == "127.0.0.1")
                #expect(event.inode == inode)
                #expect(event.netns == ownNetns())
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

        @Test func failedBindReportsItsError() {
            let port = freshPort()
            let first = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            let second = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            defer { first.close(); second.close() }
            #expect(first.bind("127.0.0.1", port) == 0 && first.listen() == 0)
            #expect(second.bind("127.0.0.1", port) == -EADDRINUSE)
            let events = collect(ours(port: port)) { $0.filter { $0.kind == .bind }.count >= 2 }
            let binds = events.filter { $0.kind == .bind }
            #expect(binds.map(\.result) == [0, -EADDRINUSE])
            #expect(ErrnoName.of(result: binds.last?.result ?? 0) == "EADDRINUSE")
        }

        @Test func autoBoundListenReportsTheRealPort() {
            let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            defer { socket.close() }
            #expect(socket.listen() == 0)  // no bind: the kernel picks the port inside listen()
            let port = socket.port
            #expect(port != 0)
            let events = collect(ours(port: port)) { $0.contains { $0.kind == .listen } }
            #expect(events.first { $0.kind == .listen }?.inode == socket.inode)
        }

        /// 20,000 bind events without draining overflow the 1 MiB ring (about 13,000 events): the
        /// per-CPU lost counter must say so, which is what makes the engine rescan everything.
        @Test func aFullRingBufferIsCounted() {
            let socket = TestSocket(AF_INET, Int32(SOCK_DGRAM.rawValue))
            defer { socket.close() }
            let port = freshPort()
            #expect(socket.bind("127.0.0.1", port) == 0)
            #expect(watcher.lostEvents() == 0)
            // Binding a bound socket fails (EINVAL) and is reported each time.
            for _ in 0..<20_000 { socket.bind("127.0.0.1", port) }
            let lost = watcher.lostEvents()
            #expect(lost > 1_000, "lost \(lost)")
            let kept = watcher.drain().filter(ours(port: port)).count
            #expect(UInt64(kept) + lost >= 20_000)
        }

        @Test func forkExecAndExitOfAChildArrive() throws {
            var child: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
            defer { free(argv[0]) }
            #expect(posix_spawn(&child, "/bin/true", nil, nil, argv, environ) == 0)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            let events = collect({ $0.pid == child }) { $0.contains { $0.kind == .exit } }
            let fork = events.first { $0.kind == .fork }
            #expect(fork?.ppid == pid)
            #expect(events.contains { $0.kind == .exec && $0.comm == "true" })
            #expect(events.map(\.kind).last == .exit)
        }
    }
}
