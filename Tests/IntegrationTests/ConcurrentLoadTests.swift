import Engine
import Foundation
import Synchronization
import Testing

extension SystemTests.KernelWatcherTests {
    /// KernelWatcher is Sendable and every engine loads its own on its own queue, so two loads
    /// may overlap (two engines in one process, a survey next to an engine). They must share
    /// nothing unguarded: not libbpf's captured message, not the kernel BTF the probes parse.
    /// Real threads, so that the loads overlap even where the dispatch pool has one free worker.
    @Test func watchersLoadedOnTwoThreadsAtOnceAgree() throws {
        let hooks = Mutex<[String]>([])
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
