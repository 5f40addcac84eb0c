import Dispatch

/// Where the agent runs what would hold up its event loop (a document of thousands of
/// processes, an inspect's /proc reads): a dispatch queue when it serves sockets; the
/// fuzz harness runs the work in place, as its `EmbeddedChannel` lives on one thread.
public protocol WorkQueue: Sendable {
    func run(_ work: @escaping @Sendable () -> Void)
}

extension DispatchQueue: WorkQueue {
    public func run(_ work: @escaping @Sendable () -> Void) {
        async(execute: work)
    }
}
