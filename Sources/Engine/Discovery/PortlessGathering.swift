/// Finding a full scan's port-less processes worth judging: children of matched processes
/// (Beyla's inheritance, followed down the tree) and, when some selector has no `open_ports`,
/// processes a selector picks on their own (by executable, arguments or language). Without
/// criteria nothing port-less can match, and a full scan stays a walk of listeners only.
extension DiscoveryCore {
    /// Returns the port-less records to fold in with `listeners`; `own` gains their own verdicts,
    /// so that nothing is judged twice.
    func gatherPortless(
        listeners: [ProcessRecord], own: inout [ProcessIdentity: MatchVerdict], from source: any PortlessSource
    ) -> [ProcessRecord] {
        guard !criteria.isEmpty else { return [] }
        let parents = source.parents()
        let listenerPIDs = Set(listeners.map(\.pid))
        var kept: [Int32: ProcessRecord] = [:]
        if criteria.matchesPortless {
            let matcher = self.matcher
            let pids = parents.keys.filter { !listenerPIDs.contains($0) }.sorted()
            for record in source.portlessRecords(pids, keep: { $0.isReady && matcher.ownVerdict(for: $0).isCandidate }) {
                kept[record.pid] = record
            }
        }
        var children: [Int32: [Int32]] = [:]
        for (pid, ppid) in parents where pid != ppid { children[ppid, default: []].append(pid) }
        // Inheritance can only start at a process that matches on its own (a listener or a
        // port-less process a selector picks) or at one the core already holds as picked.
        // Those held already are read again: an orphan keeps what it inherited (see `judge`).
        for (identity, verdict) in verdicts where verdict.isCandidate && kept[identity.pid] == nil && !listenerPIDs.contains(identity.pid) {
            if let record = source.portlessRecord(pid: identity.pid), record.isReady { kept[identity.pid] = record }
        }
        var frontier = listeners.filter { own[$0.identity]?.matched == true }.map(\.pid) + kept.keys
        var visited = Set(frontier)
        while let parent = frontier.popLast() {
            for child in children[parent] ?? [] where !listenerPIDs.contains(child) && visited.insert(child).inserted {
                let record = kept[child] ?? source.portlessRecord(pid: child)
                guard let record, record.isReady else { continue }
                kept[child] = record
                frontier.append(child)
            }
        }
        for record in kept.values where own[record.identity] == nil { own[record.identity] = matcher.ownVerdict(for: record) }
        return kept.values.sorted { $0.identity < $1.identity }
    }
}

extension Scanner: PortlessSource {
    public func parents() -> [Int32: Int32] {
        population().mapValues(\.ppid)
    }

    public func portlessRecords(_ pids: [Int32], keep: @escaping @Sendable (ProcessRecord) -> Bool) -> [ProcessRecord] {
        Parallel.chunks(pids, threshold: 256) { chunk in
            chunk.compactMap { pid in portlessRecord(pid: pid).flatMap { keep($0) ? $0 : nil } }
        }.flatMap { $0 }
    }
}
