import Engine
import Foundation
import Glibc
import Testing

extension SystemTests.KernelWatcherTests {
    /// KernelWatcher is Sendable and every engine loads its own on its own queue, so two loads
    /// may overlap (two engines in one process, a survey next to an engine). They must share
    /// nothing unguarded: not libbpf's captured message, not the kernel BTF the probes parse.
    /// Real threads, so that the loads overlap even where the dispatch pool has one free worker.
    @Test func watchersLoadedOnTwoThreadsAtOnceAgree() throws {
        let hooks = Locked<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let threads = 2
        for _ in 0..<threads {
            let thread = Thread {
                for _ in 0..<3 {
                    let loaded = (try? KernelWatcher()).map { "\($0.hooks)" } ?? "failed"
                    hooks.withLock { $0.append(loaded) }
                }
                done.signal()
            }
            thread.start()
        }
        for _ in 0..<threads { done.wait() }
        #expect(hooks.withLock { $0 } == Array(repeating: "\(watcher.hooks)", count: threads * 3))
    }
}

extension SystemTests.KernelWatcherTests {
    /// A watcher is Sendable, so two threads may drain it at once: every event arrives once,
    /// on one of them, and neither sees the ring buffer's callback filling the other's batch.
    @Test func twoThreadsDrainingOneWatcherSeeEveryEventOnce() {
        let port = freshPort()
        let watcher = watcher
        let seen = Locked<[KernelEvent]>([])
        let stop = Locked(false)
        let done = DispatchSemaphore(value: 0)
        let threads = 2
        for _ in 0..<threads {
            Thread {
                while !stop.withLock({ $0 }) {
                    let events = watcher.wait(milliseconds: 10).filter { $0.pid == getpid() && $0.port == port }
                    seen.withLock { $0 += events }
                }
                done.signal()
            }.start()
        }
        let rounds = 50
        for _ in 0..<rounds {
            let socket = TestSocket(AF_INET, Int32(SOCK_DGRAM.rawValue))
            socket.bind("127.0.0.1", port)
            socket.close()
        }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, seen.withLock({ $0.filter { $0.kind == .bind }.count }) < rounds { usleep(10_000) }
        stop.withLock { $0 = true }
        for _ in 0..<threads { done.wait() }
        let binds = seen.withLock { $0.filter { $0.kind == .bind } }
        #expect(binds.count == rounds)
    }
}
