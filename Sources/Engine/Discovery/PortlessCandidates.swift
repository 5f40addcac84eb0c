/// Finds the processes that listen on nothing yet are picked: children of matched processes
/// (Beyla's inheritance, followed down the tree) and, when some selector has no `open_ports`,
/// processes that a selector matches on their own (by executable, arguments or language).
/// Only asked for when there are criteria: without them nothing port-less can match, and a
/// full scan stays a walk of listeners only.
public enum PortlessCandidates {
    /// `listeners` are a full scan's records. Returns them with the port-less processes that
    /// are picked (matched, inherited or pending), and every one's verdict (none without criteria).
    public static func extend(
        _ listeners: [ProcessRecord], matcher: Matcher, scanner: Scanner
    ) -> (records: [ProcessRecord], verdicts: [ProcessIdentity: MatchVerdict]) {
        // Without criteria every verdict is "no criteria": callers treat a missing one so.
        guard !matcher.criteria.isEmpty else { return (listeners, [:]) }
        let listenerVerdicts = matcher.verdicts(for: listeners)
        let population = scanner.population()
        let listenerPIDs = Set(listeners.map(\.pid))
        var kept: [Int32: ProcessRecord] = [:]
        if matcher.criteria.matchesPortless {
            let portless = population.keys.filter { !listenerPIDs.contains($0) }.sorted()
            let found = Parallel.chunks(portless, threshold: 256) { chunk in
                chunk.compactMap { pid -> ProcessRecord? in
                    guard let record = scanner.portlessRecord(pid: pid), record.isReady else { return nil }
                    return matcher.verdict(for: record).isCandidate ? record : nil
                }
            }
            for records in found { for record in records { kept[record.pid] = record } }
        }
        // Inheritance: walk down from every matched process.
        var children: [Int32: [Int32]] = [:]
        for (pid, entry) in population where pid != entry.ppid { children[entry.ppid, default: []].append(pid) }
        var frontier = listeners.filter { listenerVerdicts[$0.identity]?.matched == true }.map(\.pid) + kept.keys
        while let parent = frontier.popLast() {
            for child in children[parent] ?? [] where !listenerPIDs.contains(child) && kept[child] == nil {
                guard let record = scanner.portlessRecord(pid: child), record.isReady else { continue }
                kept[child] = record
                frontier.append(child)
            }
        }
        guard !kept.isEmpty else { return (listeners, listenerVerdicts) }
        // Keep only what the full matcher (with parents, exclusions and ages) still picks.
        let candidates = kept.values.sorted { $0.identity < $1.identity }
        var verdicts = matcher.verdicts(for: listeners + candidates, reusing: listenerVerdicts)
        var picked: [ProcessRecord] = []
        for record in candidates {
            if verdicts[record.identity]?.isCandidate == true {
                picked.append(record)
            } else {
                verdicts.removeValue(forKey: record.identity)
            }
        }
        return (listeners + picked, verdicts)
    }
}
