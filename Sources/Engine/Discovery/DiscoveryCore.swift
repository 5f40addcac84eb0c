import HashTreeCollections

/// Discovery as a value: what is known, how each process is judged, and what changed.
///
/// `list` runs it once over a full scan; the engine feeds it every scan, kernel batch, criteria
/// change and timer. It holds the only implementation of parent-first matching, inheritance and
/// pending matches, so the three front ends cannot disagree. It does no I/O of its own: the
/// inputs carry what was read, and the matcher's facts (command line, language, age) come
/// through the `ProcessFacts` adapter.
///
/// The published maps are persistent (hash-array-mapped tries): the engine hands them to views
/// as they are, and the next change copies a path, not the map, so a kernel batch costs the
/// same at 100 known processes as at 10,000.
public struct DiscoveryCore: Sendable {
    public private(set) var matcher: Matcher
    /// False: `ingest` returns kernel events only, not what happened to processes.
    public var recordsLifecycle = true
    /// Every process that holds a listener, or listens on nothing but is picked (or pending).
    public private(set) var records: TreeDictionary<ProcessIdentity, ProcessRecord> = [:]
    public private(set) var verdicts: TreeDictionary<ProcessIdentity, MatchVerdict> = [:]
    /// Wall-clock nanoseconds when each process was first discovered.
    public private(set) var discoveredAt: TreeDictionary<ProcessIdentity, UInt64> = [:]
    /// Wall-clock nanoseconds when each process last started matching.
    public private(set) var matchedAt: TreeDictionary<ProcessIdentity, UInt64> = [:]
    public private(set) var matchedCount = 0
    /// Every listening socket known, by inode (owned or not): what rescans join descriptors against.
    public internal(set) var listening: [UInt64: ListeningSocket] = [:]

    // Indexes over `records`, so that a batch touches only what it names.
    private(set) var identities: [Int32: ProcessIdentity] = [:]
    private var childrenOf: [Int32: Set<Int32>] = [:]
    /// Who holds each listening inode: almost always one process, so the shared ones (a
    /// pre-fork server's workers) are kept apart and the common case costs no set.
    private var soleHolder: [UInt64: Int32] = [:]
    private var sharedHolders: [UInt64: Set<Int32>] = [:]
    private var pending = PendingMatches()
    /// What the last full scan listed with ports unknown (descriptors unreadable).
    private var unreadable: Set<ProcessIdentity> = []
    /// One copy of each executable path the records hold: each scan reads a path afresh per
    /// process, and 10,000 workers of one program held 10,000 copies (640 KB).
    private var exePaths: Set<String> = []

    public init(matcher: Matcher) {
        self.matcher = matcher
    }

    public var criteria: Criteria { matcher.criteria }

    /// When a pending match is next due: feed `.tick` then.
    public var nextDue: UInt64? { pending.next }

    /// The known record of a pid.
    public func record(of pid: Int32) -> ProcessRecord? {
        identities[pid].flatMap { records[$0] }
    }

    /// Folds one input into what is known and returns what changed, in order, each with the
    /// time of what caused it. `now` is wall-clock nanoseconds. Without `recording` (a caller
    /// that wants only the outcome, as `list`) no events are built.
    @discardableResult
    public mutating func ingest(_ input: DiscoveryInput, now: UInt64, recording: Bool = true) -> [TimedEvent] {
        var pass = Pass(now: now, recording: recording, lifecycle: recordsLifecycle)
        switch input {
        case .fullScan(let snapshot, let source):
            listening = snapshot.listening
            let listeners = snapshot.processes
            // Grown to size at once: grown by doubling, each index held its old storage and its
            // new one at the first scan's peak of memory.
            identities.reserveCapacity(listeners.count)
            soleHolder.reserveCapacity(listening.count)
            // Own verdicts ahead of the fold only where port-less gathering needs them (it asks
            // which listeners are picked); otherwise `judge` works each out as it goes.
            var own: [ProcessIdentity: MatchVerdict] = [:]
            var portless: [ProcessRecord] = []
            if let source, !criteria.isEmpty {
                for record in listeners where record.isReady { own[record.identity] = matcher.ownVerdict(for: record) }
                portless = gatherPortless(listeners: listeners, own: &own, from: source)
            }
            // A process whose descriptors are unreadable may hold listeners: the scan lists it with
            // ports unknown, and it stays whether or not the criteria pick it.
            unreadable = Set(listeners.filter { $0.ports == nil }.map(\.identity))
            fold(portless.isEmpty ? listeners : listeners + portless, scope: nil, own: own, pass: &pass)
        case .rescan(let plan, let records, let learned):
            for socket in learned { listening[socket.inode] = socket }
            pass.causes = plan.causes
            let read = Dictionary(records.map { ($0.pid, $0) }, uniquingKeysWith: { first, _ in first })
            for (event, relevant, time) in plan.events {
                var done = completed(event, from: read)
                // An exit names a process no rescan can read: the known record is the one it ended.
                if let owner = (event.kind == .exit ? nil : read[event.pid]) ?? record(of: event.pid) {
                    done.startTime = owner.identity.startTime
                    done.uid = owner.uid
                }
                if done.kind == .close, event.inode == 0, done.inode != 0 { listening.removeValue(forKey: done.inode) }
                pass.emit(.kernel(done, relevant: relevant), time: time)
            }
            fold(records, scope: plan.scope, own: [:], pass: &pass)
        case .criteria(let criteria):
            matcher.criteria = criteria
            rejudge(records.values.sorted(by: Self.parentFirst), pass: &pass)
        case .tick:
            let due = pending.takeDue(now: now).compactMap { identity -> ProcessRecord? in
                verdicts[identity]?.state == .pending ? records[identity] : nil
            }
            rejudge(due.sorted(by: Self.parentFirst), pass: &pass)
        }
        return pass.events
    }

    /// A parent starts before its children (and a reaper before its orphans), so start time
    /// orders any set of processes parents first.
    static func parentFirst(_ a: ProcessRecord, _ b: ProcessRecord) -> Bool {
        parentFirstKey(a) < parentFirstKey(b)
    }

    static func parentFirstKey(_ record: ProcessRecord) -> (UInt64, Int32) {
        (record.identity.startTime, record.pid)
    }

    // MARK: - Folding records in

    /// `records` is everything now known about the pids in `scope` (all pids when nil). Known
    /// processes outside the scope are untouched; those inside it that are missing are deleted.
    private mutating func fold(
        _ records: [ProcessRecord], scope: Set<Int32>?, own: [ProcessIdentity: MatchVerdict], pass: inout Pass
    ) {
        let incoming = Set(records.map(\.identity))
        // Deletions first: a recycled pid is the old process leaving, then the new one arriving.
        let candidates: [ProcessIdentity] = scope.map { $0.compactMap { identities[$0] } } ?? Array(self.records.keys)
        for identity in candidates.sorted() where !incoming.contains(identity) {
            if let gone = self.records[identity] { delete(gone, reason: "exited or stopped listening", pass: &pass) }
        }
        pass.batch = incoming
        // Parents first, by sorting positions rather than the records: a full scan's records
        // are 10,000 values of a few hundred bytes, and a sorted copy of them was 2.5 MB.
        let order = records.indices.map { (key: Self.parentFirstKey(records[$0]), index: $0) }.sorted { $0.key < $1.key }
        for record in order.lazy.map({ records[$0.index] }) {
            // Not ready (exe not readable yet): a known process keeps its last good record, a new
            // one waits for a later scan.
            guard record.isReady else { continue }
            let verdict = judge(record, own: own[record.identity], now: pass.now)
            if !worthKeeping(record, verdict) {
                if let old = self.records[record.identity] { delete(old, reason: verdict.failure ?? "no longer matches", pass: &pass) }
                continue
            }
            upsert(record, verdict: verdict, pass: &pass)
        }
        pass.batch = []
    }

    /// Listeners always, and processes the last full scan could not read (they may hold
    /// listeners); a port-less process only while it is picked, or soon will be.
    private func worthKeeping(_ record: ProcessRecord, _ verdict: MatchVerdict) -> Bool {
        record.ports?.isEmpty == false || verdict.isCandidate || unreadable.contains(record.identity)
    }

    /// The verdict of `record` as things stand: its own, then Beyla's inheritance from the
    /// parent's current verdict (judged first, parents come first).
    private func judge(_ record: ProcessRecord, own: MatchVerdict?, now: UInt64) -> MatchVerdict {
        let own = own ?? matcher.ownVerdict(for: record)
        let portless = record.ports?.isEmpty ?? true
        let parent = portless && record.ppid != record.pid ? identities[record.ppid].flatMap { verdicts[$0] } : nil
        let verdict = matcher.settle(own, of: record, parent: parent, now: now)
        // Beyla keeps an inherited match after the parent exits: the child, reparented, is still
        // instrumented. A fresh scan (`list`) cannot know that parent and judges it unmatched.
        if portless, parent == nil, verdict.state == .unmatched, let old = verdicts[record.identity], old.inheritedFrom != nil,
            old.isCandidate
        {
            var kept = old
            kept.outcomes = own.outcomes
            return kept
        }
        return verdict
    }

    private mutating func upsert(_ read: ProcessRecord, verdict: MatchVerdict, pass: inout Pass) {
        var record = read
        record.exe = read.exe.map { interned($0) }
        let time = pass.time(of: record.pid)
        let old = records[record.identity]
        var announce = false
        if let old {
            // Beyla creates a known process again when it opens a new port; discotop says `changed`
            // with both port sets, so a process has one `created` per identity. A match is still
            // announced again with the new ports, as Beyla's second create would have done.
            if let ports = record.socketSet, !ports.isSubset(of: old.socketSet ?? []) { announce = true }
            if old.socketSet != record.socketSet || old.exe != record.exe || old.comm != record.comm
                || old.commBytes != record.commBytes || old.exeBytes != record.exeBytes || old.ppid != record.ppid
            {
                pass.emit(.changed(old: old, new: record), time: time)
            }
            unindex(old)
        } else {
            pass.emit(.created(record), time: time)
            discoveredAt[record.identity] = pass.now
            announce = true
        }
        // Written only when it differs: a sweep that finds every process as it was then leaves
        // the published map as it was, and a view compares the two at once (shared storage).
        if old != record { records[record.identity] = record }
        index(record)
        apply(verdict, to: record, announce: announce, pass: &pass)
    }

    private mutating func delete(_ record: ProcessRecord, reason: String, pass: inout Pass) {
        let time = pass.time(of: record.pid)
        pass.emit(.deleted(record), time: time)
        if let verdict = verdicts.removeValue(forKey: record.identity), verdict.matched {
            matchedCount -= 1
            pass.emit(.unmatched(record, reason: reason), time: time)
        }
        records.removeValue(forKey: record.identity)
        discoveredAt.removeValue(forKey: record.identity)
        matchedAt.removeValue(forKey: record.identity)
        unindex(record)
    }

    // MARK: - Verdicts

    /// Records a verdict and says what it changed; when the state changes, the known children
    /// outside this batch are judged again (they may inherit, or stop inheriting).
    private mutating func apply(_ verdict: MatchVerdict, to record: ProcessRecord, announce: Bool, pass: inout Pass) {
        let old = verdicts[record.identity]
        if old != verdict { verdicts[record.identity] = verdict }
        let wasMatched = old?.matched == true
        matchedCount += (verdict.matched ? 1 : 0) - (wasMatched ? 1 : 0)
        if verdict.state == .pending, let due = verdict.pendingUntil, due != old?.pendingUntil { pending.add(record.identity, due: due) }
        let time = pass.time(of: record.pid)
        // Matched again when how it matches changes (its own ports → inherited after exec).
        let reasonChanged = old?.state != verdict.state || old?.selectors != verdict.selectors
        if verdict.matched, !wasMatched || announce || reasonChanged {
            if !wasMatched { matchedAt[record.identity] = pass.now }
            pass.emit(.matched(record, verdict), time: time)
        } else if !verdict.matched, wasMatched {
            matchedAt.removeValue(forKey: record.identity)
            pass.emit(.unmatched(record, reason: verdict.failure ?? "no longer matches"), time: time)
        }
        guard old?.state != verdict.state else { return }
        let children = (childrenOf[record.pid] ?? []).compactMap { pid -> ProcessRecord? in
            guard let identity = identities[pid], !pass.batch.contains(identity) else { return nil }
            return records[identity]
        }
        if !children.isEmpty {
            pass.inherit(time, to: children.map(\.pid))
            rejudge(children.sorted(by: Self.parentFirst), pass: &pass)
        }
    }

    /// Judges known processes again with their current records (criteria, age or parent changed).
    private mutating func rejudge(_ known: [ProcessRecord], pass: inout Pass) {
        for record in known {
            guard records[record.identity] != nil else { continue }
            let verdict = judge(record, own: nil, now: pass.now)
            if !worthKeeping(record, verdict) {
                delete(record, reason: verdict.failure ?? "no longer matches", pass: &pass)
            } else {
                apply(verdict, to: record, announce: false, pass: &pass)
            }
        }
    }

    /// `path` as the known records already hold it, if one does.
    private mutating func interned(_ path: String) -> String {
        // Paths of processes long gone go when the set outgrows the records (at most twice over).
        if exePaths.count > 2 * records.count + 64 { exePaths = Set(records.values.compactMap(\.exe)) }
        return exePaths.insert(path).memberAfterInsert
    }

    // MARK: - Indexes

    /// The known processes holding a listening inode.
    func holders(of inode: UInt64) -> [Int32] {
        if let shared = sharedHolders[inode] { return Array(shared) }
        return soleHolder[inode].map { [$0] } ?? []
    }

    private mutating func index(_ record: ProcessRecord) {
        identities[record.pid] = record.identity
        childrenOf[record.ppid, default: []].insert(record.pid)
        for held in record.ports ?? [] {
            let inode = held.socket.inode
            if sharedHolders[inode] != nil {
                sharedHolders[inode]!.insert(record.pid)
            } else if let other = soleHolder[inode], other != record.pid {
                soleHolder.removeValue(forKey: inode)
                sharedHolders[inode] = [other, record.pid]
            } else {
                soleHolder[inode] = record.pid
            }
        }
    }

    private mutating func unindex(_ record: ProcessRecord) {
        if identities[record.pid] == record.identity { identities.removeValue(forKey: record.pid) }
        childrenOf[record.ppid]?.remove(record.pid)
        if childrenOf[record.ppid]?.isEmpty == true { childrenOf.removeValue(forKey: record.ppid) }
        for held in record.ports ?? [] {
            let inode = held.socket.inode
            if soleHolder[inode] == record.pid { soleHolder.removeValue(forKey: inode) }
            guard var shared = sharedHolders[inode] else { continue }
            shared.remove(record.pid)
            if shared.count > 1 {
                sharedHolders[inode] = shared
            } else {
                sharedHolders.removeValue(forKey: inode)
                if let last = shared.first { soleHolder[inode] = last }
            }
        }
    }
}

/// What one `ingest` call is producing.
struct Pass {
    let now: UInt64
    let recording: Bool
    let lifecycle: Bool
    var events: [TimedEvent] = []
    /// Wall-clock time of the kernel event behind each pid's changes, when a kernel batch caused them.
    var causes: [Int32: UInt64] = [:]
    /// Identities the fold in progress will judge itself: not judged again as someone's child.
    var batch: Set<ProcessIdentity> = []

    init(now: UInt64, recording: Bool, lifecycle: Bool = true) {
        self.now = now
        self.recording = recording
        self.lifecycle = lifecycle
    }

    func time(of pid: Int32) -> UInt64 { causes[pid] ?? now }

    mutating func emit(_ event: EngineEvent, time: UInt64) {
        guard recording else { return }
        if !lifecycle, !event.isKernel { return }
        events.append(TimedEvent(event, time: time))
    }

    /// Children judged again because their parent changed happened because of what changed it.
    mutating func inherit(_ time: UInt64, to pids: [Int32]) {
        for pid in pids where causes[pid] == nil { causes[pid] = time }
    }
}
