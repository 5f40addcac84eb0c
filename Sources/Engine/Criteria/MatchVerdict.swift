/// Whether a process is picked, by which selectors, and why.
public struct MatchVerdict: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// A selector holds for the process itself.
        case matched
        /// It listens on nothing and its parent matched (Beyla's inheritance).
        case inherited
        /// It would match but listens on nothing and is younger than `min_process_age`.
        case pending
        /// An exclusion (or a system path) holds: exclusions win.
        case excluded
        case unmatched
    }

    public var state: State
    /// Labels of the selectors that hold (for `excluded`, the exclusion); for `inherited`, the parent's.
    public var selectors: [String] = []
    /// What held, e.g. `open_ports 8080`, `exe_path /usr/bin/java`.
    public var reasons: [String] = []
    /// Why it is not picked: the first criterion that failed.
    public var failure: String?
    public var inheritedFrom: Int32?
    /// Wall-clock nanoseconds when a pending match takes effect.
    public var pendingUntil: UInt64?
    /// The service's name and namespace: the last matching selector that sets them, as in Beyla.
    public var serviceName: String?
    public var serviceNamespace: String?
    /// Every exclusion's and selector's outcome for this process, exclusions first: what the
    /// inspect view shows, so that no view has to match on its own.
    public var outcomes: [SelectorOutcome] = []

    public init(state: State, selectors: [String] = [], reasons: [String] = [], failure: String? = nil) {
        self.state = state
        self.selectors = selectors
        self.reasons = reasons
        self.failure = failure
    }

    /// Picked: matched on its own or by inheritance.
    public var matched: Bool { state == .matched || state == .inherited }

    /// Matched, or about to be once old enough.
    public var isCandidate: Bool { matched || state == .pending }

    /// The ports a selector that picked this process held for: what views highlight.
    public var matchedPorts: Set<UInt16> {
        guard state == .matched else { return [] }
        return Set(outcomes.filter { $0.role == .instrument && $0.holds }.flatMap(\.ports))
    }

    public static let noCriteria = MatchVerdict(state: .unmatched, failure: "no criteria given")

    /// One phrase for tables and lines: `by web (open_ports 8080)`, `inherited from 41`, ...
    public var summary: String {
        switch state {
        case .matched: "by \(selectors.joined(separator: ", ")): \(reasons.joined(separator: "; "))"
        case .inherited: "inherited from pid \(inheritedFrom.map(String.init) ?? "?") (\(selectors.joined(separator: ", ")))"
        case .pending: "pending, " + (inheritedFrom.map { "inherited from \($0) " } ?? "") + "(\(selectors.joined(separator: ", ")))"
        case .excluded: "excluded by \(selectors.joined(separator: ", ")): \(reasons.joined(separator: "; "))"
        case .unmatched: failure ?? "no selector holds"
        }
    }
}

/// One selector's outcome for one process (the inspect view lists them all).
public struct SelectorOutcome: Sendable, Hashable {
    public enum Role: String, Sendable { case instrument, exclude }
    public var role: Role
    public var label: String
    public var holds: Bool
    /// What held (empty when it failed).
    public var reasons: [String]
    /// The listening ports its `open_ports` held for (empty when it failed or has none).
    public var ports: [UInt16] = []
    /// What held, or the first criterion that failed.
    public var detail: String

    public init(role: Role, label: String, holds: Bool, reasons: [String], ports: [UInt16] = []) {
        self.role = role
        self.label = label
        self.holds = holds
        self.reasons = reasons
        self.ports = ports
        detail = reasons.joined(separator: "; ")
    }

    public init(role: Role, label: String, holds: Bool, detail: String) {
        self.role = role
        self.label = label
        self.holds = holds
        reasons = []
        self.detail = detail
    }
}
