import Engine
import Prometheus

/// `discotop_process_info` (one series per process) and `discotop_listening_socket_info` (one
/// per listening socket), kept in a registry of their own and brought up to date with the state
/// at each scrape: series of processes that went away are unregistered, new ones registered.
///
/// Not rebuilt per scrape like `StateMetrics`: swift-prometheus copies a family's whole
/// label-set dictionary for every series it registers, so building 20,000 series from scratch
/// costs 20,000 copies of a growing dictionary (quadratic: a scrape on a node of about 10,000
/// listeners took over a minute). Kept
/// between scrapes, a scrape pays for what changed since the last one.
final class ProcessSeries: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let registered = Locked([Family: [[String]: Gauge]]())

    private enum Family: CaseIterable {
        case process, socket

        var descriptor: MetricNameDescriptor {
            switch self {
            case .process: .discotop("process", unit: "info", help: "Always 1: a process discotop discovered, and whether and how it matches.")
            case .socket: .discotop("listening_socket", unit: "info", help: "Always 1: a listening socket and the process holding it.")
            }
        }

        var labelNames: [String] {
            switch self {
            case .process: ["pid", "comm", "exe", "service_name", "selector", "match"]
            case .socket: ["pid", "proto", "family", "address", "port"]
            }
        }
    }

    /// Brings the series to `state`, then appends them to `buffer`.
    func emit(_ state: EngineState, into buffer: inout [UInt8]) {
        var wanted: [Family: Set<[String]>] = [.process: [], .socket: []]
        for record in state.records.values {
            let verdict = state.verdicts[record.identity] ?? .noCriteria
            wanted[.process]!.insert([
                String(record.pid), record.comm, record.exe ?? "", verdict.serviceName ?? "",
                verdict.selectors.joined(separator: ","), verdict.state.rawValue,
            ])
            for held in record.ports ?? [] {
                wanted[.socket]!.insert([
                    String(record.pid), held.socket.proto.rawValue, held.socket.family.rawValue, held.socket.address, String(held.socket.port),
                ])
            }
        }
        registered.withLock { registered in
            for family in Family.allCases {
                var gauges = registered[family] ?? [:]
                for (values, gauge) in gauges where !wanted[family]!.contains(values) {
                    registry.unregisterGauge(gauge)
                    gauges[values] = nil
                }
                for values in wanted[family]! where gauges[values] == nil {
                    let gauge = registry.makeGauge(descriptor: family.descriptor, labels: Array(zip(family.labelNames, values)))
                    gauge.set(to: 1)
                    gauges[values] = gauge
                }
                registered[family] = gauges
            }
            registry.emit(into: &buffer)
        }
    }
}
