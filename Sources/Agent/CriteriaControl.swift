import Engine

/// `serve --allow-remote-criteria`: what `PUT /v1/criteria` may change of the agent, the port
/// ranges of its criteria, as the monitor's `/` prompt changes its own; the selectors of its
/// `--config` and its exclusions stay.
public final class CriteriaControl: Sendable {
    private let base: Criteria
    private let apply: @Sendable (Criteria) -> Void

    public init(base: Criteria, apply: @escaping @Sendable (Criteria) -> Void) {
        self.base = base
        self.apply = apply
    }

    /// Hands the criteria to the engine; returns them.
    func set(ports: PortRanges?) -> Criteria {
        let criteria = base.withTopLevelPorts(ports)
        apply(criteria)
        return criteria
    }
}
