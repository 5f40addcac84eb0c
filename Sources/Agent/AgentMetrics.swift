import Engine
import Prometheus

/// The counters and histograms of `/metrics`: what happened since the agent started, fed from
/// each engine update. What the node looks like now is `StateMetrics`, built per scrape.
final class AgentMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let kernelEvents: [KernelEvent.Kind: Counter]
    private let lostEvents: Counter
    private let fullScanDuration: ValueHistogram
    private let discoveryLatency: ValueHistogram
    /// Written on the engine's queue only; behind a lock because the class is shared with the HTTP side.
    private let seen = Locked(Seen())

    private struct Seen {
        var lastFullScanAt: UInt64 = 0
        var lostEvents: UInt64 = 0
    }

    init(version: String) {
        registry.makeGauge(descriptor: .discotop("build", unit: "info", help: "Always 1: the discotop version that serves these metrics."),
                           labels: [("version", version)]).set(to: 1)
        var counters: [KernelEvent.Kind: Counter] = [:]
        // Every type from the start, at 0: a rate() over a series that appears later misses its first events.
        for kind in [KernelEvent.Kind.bind, .listen, .close, .fork, .exec, .exit] {
            counters[kind] = registry.makeCounter(
                descriptor: .discotop("kernel_events", unit: "total", help: "Kernel events received, by type."), labels: [("type", kind.rawValue)])
        }
        kernelEvents = counters
        lostEvents = registry.makeCounter(descriptor: .discotop("lost_events", unit: "total", help: "Kernel events dropped because the ring buffer was full."))
        // From a 1 ms iterator scan of an idle host to seconds for /proc on a crowded one.
        fullScanDuration = registry.makeValueHistogram(
            descriptor: .discotop("full_scan_duration", unit: "seconds", help: "How long each full scan of the node took."),
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5])
        // The engine's budget is milliseconds; polling (no eBPF) takes up to the poll interval.
        discoveryLatency = registry.makeValueHistogram(
            descriptor: .discotop("discovery_latency", unit: "seconds", help: "From the kernel event (bind, listen, exec) to the matched event it led to."),
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5])
    }

    func record(_ update: EngineUpdate) {
        let now = WallClock.now()
        var firstEventOf: [Int32: UInt64] = [:]
        for published in update.events {
            switch published.event {
            case .kernel(let k, _):
                kernelEvents[k.kind]?.increment()
                if firstEventOf[k.pid] == nil { firstEventOf[k.pid] = published.time }
            case .matched(let record, _):
                // Only a match that a kernel event in this same batch led to has a known start;
                // those found by a sweep or poll have none.
                if let start = firstEventOf[record.pid], now >= start { discoveryLatency.record(Double(now - start) / 1e9) }
            default:
                break
            }
        }
        let state = update.state
        let (newScan, newLost) = seen.withLock { seen -> (Bool, UInt64) in
            // The engine publishes after each full scan, so a new scan time is one scan.
            let newScan = state.lastFullScan != nil && state.lastFullScanAt != seen.lastFullScanAt
            seen.lastFullScanAt = state.lastFullScanAt
            let newLost = state.lostEvents > seen.lostEvents ? state.lostEvents - seen.lostEvents : 0
            seen.lostEvents = max(seen.lostEvents, state.lostEvents)
            return (newScan, newLost)
        }
        if newScan, let report = state.lastFullScan {
            registry.makeCounter(descriptor: .discotop("full_scans", unit: "total", help: "Full scans of the node, by where they read."),
                                 labels: [("source", report.source)])
                .increment()
            fullScanDuration.record(Double(report.durationNanos) / 1e9)
        }
        if newLost > 0 { lostEvents.increment(by: Int64(newLost)) }
    }
}
