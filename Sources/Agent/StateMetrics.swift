import Engine
import Prometheus

/// The few gauges of `/metrics` that describe the node as it is now, built from the latest
/// state at each scrape into a registry of their own, so none outlives what it describes. The
/// per-process series, thousands on a large node, are `ProcessSeries`.
enum StateMetrics {
    static func emit(_ state: EngineState, into buffer: inout [UInt8]) {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: .discotop("mode", unit: "info", help: "Always 1: how discotop learns about changes."), labels: modeLabels(state))
            .set(to: 1)
        registry.makeGauge(descriptor: .discotop("listening_processes", unit: "", help: "Processes holding at least one listening socket."))
            .set(Int64(state.records.values.reduce(0) { $0 + ($1.ports?.isEmpty == false ? 1 : 0) }))
        // Every selector, at 0 when it picks nothing: an alert on "no web server here" needs a 0, not a gap.
        var matchedBySelector = Dictionary(state.criteria.instrument.map { ($0.label, Int64(0)) }, uniquingKeysWith: { a, _ in a })
        for verdict in state.verdicts.values where verdict.matched {
            for selector in verdict.selectors { matchedBySelector[selector, default: 0] += 1 }
        }
        for (selector, count) in matchedBySelector.sorted(by: { $0.key < $1.key }) {
            registry.makeGauge(
                descriptor: .discotop("matched_processes", unit: "", help: "Processes the criteria pick, by the selector that holds (a process may count under several)."),
                labels: [("selector", selector)]).set(count)
        }
        registry.emit(into: &buffer)
    }

    /// `mode` (ebpf or poll), the tier serving each hook concern (`off` when none does, `none`
    /// in poll mode) and where full scans read.
    private static func modeLabels(_ state: EngineState) -> [(String, String)] {
        var labels: [(String, String)]
        switch state.mode {
        case .ebpf(let hooks, _):
            labels = [("mode", "ebpf")]
            for concern in HookConcern.allCases { labels.append(("\(concern.rawValue)_hook", hooks[concern]?.rawValue ?? "off")) }
        case .poll:
            labels = [("mode", "poll")]
            for concern in HookConcern.allCases { labels.append(("\(concern.rawValue)_hook", "none")) }
        }
        labels.append(("full_scans", state.iteratorActive ? "bpf-iterator" : "proc"))
        return labels
    }
}
