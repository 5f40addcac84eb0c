/// Applies criteria to process records, with Beyla's semantics: exclusions first and they win;
/// then the selectors in order (all of a selector's criteria must hold); then, for a process
/// that listens on nothing, its parent's match; a port-less match younger than
/// `min_process_age` is pending. discotop never matches itself.
public struct Matcher: Sendable {
    public var criteria: Criteria
    public let selfPID: Int32
    let facts: any ProcessFacts

    public init(criteria: Criteria, selfPID: Int32, facts: any ProcessFacts = LiveProcessFacts()) {
        self.criteria = criteria
        self.selfPID = selfPID
        self.facts = facts
    }

    /// The verdict for one process; `parent` is its parent's verdict when the parent is known.
    public func verdict(for process: ProcessRecord, parent: MatchVerdict? = nil, now: UInt64 = WallClock.now()) -> MatchVerdict {
        settle(ownVerdict(for: process), of: process, parent: parent, now: now)
    }

    /// What the process's own facts decide: exclusions, then every selector in order. Never
    /// depends on the parent, so a caller judging a tree computes it once per process.
    public func ownVerdict(for process: ProcessRecord) -> MatchVerdict {
        let instrument = criteria.instrument
        guard !instrument.isEmpty else { return .noCriteria }
        if process.pid == selfPID { return MatchVerdict(state: .unmatched, failure: "discotop itself") }
        var facts = LazyFacts(process: process, source: self.facts)
        // Every selector is tried, even after an exclusion holds: the outcomes are what inspect shows.
        let outcomes = self.outcomes(facts: &facts)
        var verdict: MatchVerdict
        if let exe = process.exe, let prefix = criteria.excludedSystemPaths.first(where: { exe.hasPrefix($0) }) {
            verdict = MatchVerdict(
                state: .excluded, selectors: ["excluded_linux_system_paths"], reasons: ["\(exe) is under \(prefix)"],
                failure: "excluded: \(exe) is under the system path \(prefix)")
        } else if let exclusion = outcomes.first(where: { $0.role == .exclude && $0.holds }) {
            verdict = MatchVerdict(
                state: .excluded, selectors: [exclusion.label], reasons: exclusion.reasons,
                failure: "excluded by \(exclusion.label): \(exclusion.detail)")
        } else {
            verdict = MatchVerdict(state: .unmatched)
            for (selector, outcome) in zip(instrument, outcomes.filter { $0.role == .instrument }) where outcome.holds {
                if verdict.state == .unmatched { verdict.reasons = outcome.reasons }
                verdict.state = .matched
                verdict.selectors.append(selector.label)
                if let name = selector.name { verdict.serviceName = name }
                if let namespace = selector.namespace { verdict.serviceNamespace = namespace }
            }
            if verdict.state == .unmatched {
                let failed = outcomes.first { $0.role == .instrument && !$0.holds }
                verdict.failure = failed.map { instrument.count == 1 ? $0.detail : "\($0.label): \($0.detail)" } ?? "no selector holds"
            }
        }
        verdict.outcomes = outcomes
        return verdict
    }

    /// Beyla's two rules that look beyond the process itself: a process that listens on nothing
    /// and matches nothing inherits its parent's match; a port-less match younger than
    /// `min_process_age` is pending. The one place either rule is written.
    /// `now` is wall-clock nanoseconds, for when a pending match comes of age.
    public func settle(_ own: MatchVerdict, of process: ProcessRecord, parent: MatchVerdict?, now: UInt64) -> MatchVerdict {
        guard !criteria.instrument.isEmpty, process.pid != selfPID else { return own }
        let portless = process.ports?.isEmpty ?? true
        var verdict = own
        if verdict.state == .unmatched {
            guard portless, let parent, parent.matched else { return own }
            verdict = parent
            verdict.state = .inherited
            verdict.inheritedFrom = process.ppid
            verdict.reasons = ["parent \(process.ppid) matched"]
            verdict.failure = nil
            verdict.outcomes = own.outcomes
        }
        guard verdict.matched, portless else { return verdict }
        if let age = facts.age(of: process), Double(age) < criteria.minProcessAgeSeconds * 1e9 {
            let wait = UInt64(criteria.minProcessAgeSeconds * 1e9) - age
            verdict.pendingUntil = now &+ wait
            verdict.failure = "listens on nothing and is younger than min_process_age \(Seconds.text(criteria.minProcessAgeSeconds))"
            verdict.state = .pending
        }
        return verdict
    }

    /// Every exclusion and selector with its outcome, exclusions first.
    private func outcomes(facts: inout LazyFacts) -> [SelectorOutcome] {
        var outcomes: [SelectorOutcome] = []
        for (role, selectors) in [(SelectorOutcome.Role.exclude, criteria.allExclusions), (.instrument, criteria.instrument)] {
            for selector in selectors {
                switch evaluate(selector, facts: &facts) {
                case .holds(let reasons, let ports):
                    outcomes.append(SelectorOutcome(role: role, label: selector.label, holds: true, reasons: reasons, ports: ports))
                case .fails(let detail):
                    outcomes.append(SelectorOutcome(role: role, label: selector.label, holds: false, detail: detail))
                }
            }
        }
        return outcomes
    }

    enum Outcome {
        /// What held, and the listening ports `open_ports` held for.
        case holds([String], ports: [UInt16])
        case fails(String)
    }

    /// Tests one selector; the failure names the first criterion that did not hold.
    func evaluate(_ selector: Selector, facts: inout LazyFacts) -> Outcome {
        let process = facts.process
        var reasons: [String] = []
        var matchedPorts: [UInt16] = []
        if !selector.targetPIDs.isEmpty {
            guard selector.targetPIDs.contains(process.pid) else { return .fails("target_pids: pid \(process.pid) is not listed") }
            reasons.append("target_pids \(process.pid)")
        }
        if let ranges = selector.openPorts {
            guard let ports = process.ports else { return .fails("open_ports: ports unknown (permission denied)") }
            let hits = Set(ports.map(\.socket.port).filter(ranges.contains)).sorted()
            guard !hits.isEmpty else { return .fails("open_ports: no listening port in \(ranges)") }
            reasons.append("open_ports \(hits.map(String.init).joined(separator: ","))")
            matchedPorts = hits
        }
        for (key, pattern) in [("exe_path", selector.exePath), ("exe_path_regexp", selector.exePathRegexp.map(TextPattern.regex))] {
            guard let pattern else { continue }
            guard let exe = process.exe else { return .fails("\(key): executable unknown (permission denied)") }
            guard pattern.matches(exe) else { return .fails("\(key): \(exe) does not match \(pattern)") }
            reasons.append("\(key) \(exe)")
        }
        if let pattern = selector.cmdArgs {
            guard let arguments = facts.commandArguments else { return .fails("cmd_args: command line unreadable") }
            guard pattern.matches(arguments) else { return .fails("cmd_args: \"\(arguments)\" does not match \(pattern)") }
            reasons.append("cmd_args \(arguments)")
        }
        if let pattern = selector.languages {
            let language = facts.language
            guard pattern.matches(language.selectorName) else {
                return .fails("languages: \(language.selectorName) does not match \(pattern)")
            }
            reasons.append("languages \(language.selectorName)")
        }
        if selector.containersOnly {
            guard let netns = process.netns, let own = facts.source.ownNetns else { return .fails("containers_only: network namespace unknown") }
            guard netns != own else { return .fails("containers_only: runs in discotop's own network namespace") }
            reasons.append("containers_only netns \(netns)")
        }
        if let attribute = selector.unevaluated.first {
            let needs = attribute.key == "container_name" ? "needs Docker or Kubernetes metadata" : "not evaluated outside Kubernetes"
            return .fails("\(attribute.key): \(needs)")
        }
        return .holds(reasons, ports: matchedPorts)
    }
}

/// Facts about one process, read at most once while its selectors are tried.
struct LazyFacts {
    let process: ProcessRecord
    let source: any ProcessFacts
    private var arguments: String??
    private var detected: Language?
    private var measuredAge: UInt64??

    init(process: ProcessRecord, source: any ProcessFacts) {
        self.process = process
        self.source = source
    }

    var commandArguments: String? {
        mutating get {
            if let arguments { return arguments }
            let value = source.commandArguments(of: process.pid)
            arguments = .some(value)
            return value
        }
    }

    var language: Language {
        mutating get {
            if let detected { return detected }
            let value = source.language(of: process.pid, exe: process.exe)
            detected = value
            return value
        }
    }

    var age: UInt64? {
        mutating get {
            if let measuredAge { return measuredAge }
            let value = source.age(of: process)
            measuredAge = .some(value)
            return value
        }
    }
}
