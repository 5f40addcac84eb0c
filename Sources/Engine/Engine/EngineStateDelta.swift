import HashTreeCollections

/// What one published state adds to an earlier one and what it removes, when that is all that
/// changed: no process kept from before has another record, verdict or time. A view that keeps
/// something derived from every process (the monitor's sorted orders) then updates it for
/// these few instead of deriving it again from 10,000.
public struct EngineStateDelta: Sendable, Equatable {
    public var added: [ProcessIdentity]
    public var removed: [ProcessIdentity]
}

extension EngineState {
    /// The delta from `earlier`, or nil when a kept process changed, the criteria changed, or
    /// more than `limit` processes came and went. Costs what changed: the persistent maps share
    /// all the rest, and compare it at once.
    public func delta(from earlier: EngineState, limit: Int) -> EngineStateDelta? {
        guard criteria == earlier.criteria else { return nil }
        let removed = earlier.records.keys.subtracting(records.keys)
        let added = records.keys.subtracting(earlier.records.keys)
        guard removed.count + added.count <= limit else { return nil }
        /// Whether `new` is `old` but for entries of the processes that came or went.
        func onlyThose<Value: Equatable>(_ old: TreeDictionary<ProcessIdentity, Value>, _ new: TreeDictionary<ProcessIdentity, Value>) -> Bool {
            let gone = old.keys.subtracting(new.keys)
            let came = new.keys.subtracting(old.keys)
            guard gone.allSatisfy({ removed.contains($0) }), came.allSatisfy({ added.contains($0) }) else { return false }
            var expected = old
            for identity in gone { expected.removeValue(forKey: identity) }
            for identity in came { expected[identity] = new[identity] }
            return expected == new
        }
        guard onlyThose(earlier.records, records), onlyThose(earlier.verdicts, verdicts), onlyThose(earlier.discoveredAt, discoveredAt),
              onlyThose(earlier.matchedAt, matchedAt)
        else { return nil }
        return EngineStateDelta(added: added.sorted(), removed: removed.sorted())
    }
}
