import Prometheus

extension MetricNameDescriptor {
    /// `discotop_<name>_<unit>`: every series the agent exports is under one namespace, and
    /// names end in their base unit (`seconds`), `total` for counters, `info` for info gauges.
    static func discotop(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "discotop", metricName: name, unitName: unit, helpText: help)
    }
}
