import Engine
import Prometheus

/// The gauges of `/metrics` that describe the node as it is now, built from the latest state at
/// each scrape into a registry of their own. A process that went away is simply not in the
/// state, so it leaves no series behind: nothing to unregister, nothing to forget.
enum StateMetrics {
    /// `perProcess`: the `process_info` and `listening_socket_info` series, one per process and
    /// one per listening socket; off on very large nodes (`--no-process-series`).
    static func emit(_ state: EngineState, perProcess: Bool, into buffer: inout [UInt8]) {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: .discotop("mode", unit: "info", help: "Always 1: how discotop learns about changes."), labels: modeLabels(state))
            .set(to: 1)
        registry.makeGauge(descriptor: .discotop("listening_processes", unit: "", help: "Processes holding at least one listening socket."))
            .set(Int64(state.processes.filter { $0.ports?.isEmpty == false }.count))
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
        if perProcess {
            for record in state.processes {
                let verdict = state.verdicts[record.identity] ?? .noCriteria
                registry.makeGauge(descriptor: processInfo, labels: [
                    ("pid", String(record.pid)), ("comm", record.comm), ("exe", record.exe ?? ""),
                    ("service_name", verdict.serviceName ?? ""), ("selector", verdict.selectors.joined(separator: ",")),
                    ("match", verdict.state.rawValue),
                ]).set(to: 1)
                for held in record.ports ?? [] {
                    registry.makeGauge(descriptor: socketInfo, labels: [
                        ("pid", String(record.pid)), ("proto", held.socket.proto.rawValue), ("family", held.socket.family.rawValue),
                        ("address", held.socket.address), ("port", String(held.socket.port)),
                    ]).set(to: 1)
                }
            }
        }
        registry.emit(into: &buffer)
    }

    private static var processInfo: MetricNameDescriptor { .discotop(
        "process", unit: "info", help: "Always 1: a process discotop discovered, and whether and how it matches.") }
    private static var socketInfo: MetricNameDescriptor { .discotop(
        "listening_socket", unit: "info", help: "Always 1: a listening socket and the process holding it.") }

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
