import Dispatch
import Glibc

/// Runs discovery on its own dispatch queue and publishes immutable updates.
///
/// With eBPF, a kernel event names the pid: only that process is rescanned, matched and
/// published, so discovery takes milliseconds instead of Beyla's 5-second poll; exec and exit
/// create and delete without polling; a slow sweep keeps the picture honest. Without eBPF (no
/// root, no BTF, a verifier rejection, `--no-ebpf`) it polls like Beyla and says why.
public final class DiscoveryEngine: @unchecked Sendable {
    // Everything below is touched only on `queue`.
    private let queue = DispatchQueue(label: "discotop.engine", qos: .userInitiated)
    private let options: EngineOptions
    private var scanner: Scanner
    private var watcher: KernelWatcher?
    private var differ = SnapshotDiffer()
    private var matcher: Matcher
    private var listening: [UInt64: ListeningSocket] = [:]
    private var state = EngineState()
    private var pending: [EngineEvent] = []
    private var publish: (@Sendable (EngineUpdate) -> Void)?
    private var sources: [any DispatchSourceProtocol] = []
    private var reportedLost: UInt64 = 0
    private var pendingTimer: (any DispatchSourceTimer)?
    private var criteriaRescan: (any DispatchSourceTimer)?

    public init(options: EngineOptions) {
        self.options = options
        matcher = Matcher(criteria: options.criteria, selfPID: getpid())
        scanner = Scanner(forceProcNet: options.forceProcNet)
        state.criteria = options.criteria
    }

    /// Loads the watcher (or settles for polling), takes the first full scan and starts
    /// publishing. `publish` is called on the engine's queue; hop to your own to render.
    public func start(_ publish: @escaping @Sendable (EngineUpdate) -> Void) {
        queue.async { [self] in
            self.publish = publish
            setUpSources()
            fullScan()
            flush()
        }
    }

    /// Re-filters every process at once (the monitor's `/` prompt) and publishes the result.
    /// Port-less processes the new criteria pick are found by a full scan shortly after, once
    /// the user stops typing.
    public func setCriteria(_ criteria: Criteria) {
        queue.async { [self] in
            matcher.criteria = criteria
            state.criteria = criteria
            match(Array(differ.known.values), announce: [])
            flush()
            criteriaRescan?.cancel()
            guard !criteria.isEmpty else { return }
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .milliseconds(300))
            timer.setEventHandler { [weak self] in
                self?.fullScan()
                self?.flush()
            }
            timer.resume()
            criteriaRescan = timer
        }
    }

    /// Stops timers and the watcher; waits for the queue so no update follows the return.
    public func stop() {
        queue.sync {
            for source in sources { source.cancel() }
            sources.removeAll()
            pendingTimer?.cancel()
            criteriaRescan?.cancel()
            watcher = nil
            publish = nil
        }
    }

    // MARK: - Setup

    private func setUpSources() {
        // The iterator and the watcher each parse the kernel's BTF (tens of milliseconds here,
        // seconds under emulation), so they load side by side.
        // The monitor's prompt can add criteria later; the population then comes from /proc.
        let tasks = !options.criteria.isEmpty
        let loadIterator: @Sendable () throws(BPFError) -> IteratorScan = { () throws(BPFError) in try IteratorScan(tasks: tasks) }
        let iteratorLoad = BackgroundLoad(options.useEBPF && !options.forceProcNet ? loadIterator : nil)
        for limit in Capabilities.current.limits { pending.append(.info(.capability(limit))) }
        let watcherLoad: Result<KernelWatcher, BPFError>? = options.useEBPF
            ? Result { () throws(BPFError) in try KernelWatcher(forced: options.hooks) } : nil
        // The iterator's outcome first: the mode line names where full scans come from.
        if let iterator = useIterator(iteratorLoad.result()) {
            scanner = Scanner(forceProcNet: options.forceProcNet, iterator: iterator)
        }
        switch watcherLoad {
        case nil:
            startPolling(reason: .disabled)
        case .success(let watcher):
            self.watcher = watcher
            state.mode = .ebpf(hooks: watcher.hooks, sweepSeconds: options.sweepInterval)
            pending.append(.info(.mode(state.mode, fullScans: state.iteratorActive ? .iterator : .proc)))
            for attempt in watcher.passedOver { pending.append(.info(.hookPassedOver(attempt))) }
            for limit in watcher.hooks.limits { pending.append(.info(.hookLimit(limit))) }
            let readable = DispatchSource.makeReadSource(fileDescriptor: watcher.readinessFD, queue: queue)
            readable.setEventHandler { [weak self] in self?.drainKernelEvents() }
            readable.resume()
            sources.append(readable)
            schedule(every: options.sweepInterval) { [weak self] in self?.fullScan() }
        case .failure(let error):
            // Poll mode lists every tier that was tried, not only the last one.
            if case .noHookLoaded(let attempts) = error {
                for attempt in attempts { pending.append(.info(.hookPassedOver(attempt))) }
            }
            startPolling(reason: .unavailable(error))
        }
    }

    /// Sets whether full scans use the iterator, and says why not when it failed to load.
    private func useIterator(_ result: Result<IteratorScan, BPFError>?) -> IteratorScan? {
        switch result {
        case .success(let iterator):
            state.iteratorActive = true
            return iterator
        case .failure(let error):
            pending.append(.info(.scanFallback(reason: "\(error)")))
            return nil
        case nil:
            return nil
        }
    }

    private func startPolling(reason: PollReason) {
        state.mode = .poll(intervalSeconds: options.pollInterval, reason: reason)
        pending.append(.info(.mode(state.mode, fullScans: state.iteratorActive ? .iterator : .proc)))
        schedule(every: options.pollInterval) { [weak self] in self?.fullScan() }
    }

    private func schedule(every seconds: Double, _ work: @escaping () -> Void) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = DispatchTimeInterval.milliseconds(Int(max(0.05, seconds) * 1000))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(Int(seconds * 50)))
        timer.setEventHandler { [weak self] in
            work()
            self?.flush()
        }
        timer.resume()
        sources.append(timer)
    }

    // MARK: - Scans

    private func fullScan() {
        var snapshot = scanner.fullScan()
        if !matcher.criteria.isEmpty {
            snapshot.processes = PortlessCandidates.extend(snapshot.processes, matcher: matcher, scanner: scanner).records
        }
        listening = snapshot.listening
        state.lastFullScan = snapshot.report
        state.lastFullScanAt = WallClock.now()
        if let failure = snapshot.report.iteratorFailure {
            pending.append(.info(.scanFallback(reason: failure)))
        }
        apply(differ.apply(snapshot))
    }

    private func drainKernelEvents() {
        guard let watcher else { return }
        let events = watcher.drain()
        if !events.isEmpty { handle(events) }
        let lost = watcher.lostEvents()
        if lost > reportedLost {
            pending.append(.info(.lostEvents(count: lost - reportedLost)))
            reportedLost = lost
            state.lostEvents = lost
            fullScan()
        }
        flush()
    }

    /// Turns a batch of kernel events into targeted rescans: the pids they name, never a full scan.
    func handle(_ events: [KernelEvent]) {
        var rescan = Set<Int32>()
        var exited = Set<Int32>()
        var keepPortless = Set<Int32>()
        var published: [(event: KernelEvent, relevant: Bool)] = []
        var hints: [Int32: [SocketHint]] = [:]
        let holders = Set(differ.known.keys.map(\.pid))
        // Built only if the batch has a fork: kernel events are the latency-critical path.
        lazy var matchedPIDs = Set(state.verdicts.filter(\.value.matched).keys.map(\.pid))
        let portlessSelectors = matcher.criteria.matchesPortless
        for event in events {
            var relevant = true
            switch event.kind {
            case .bind:
                // A bound UDP socket is a listener already; a bound TCP one waits for listen().
                if event.result == 0, event.proto == .udp, event.port != 0 {
                    if let socket = event.socket, socket.inode != 0 {
                        listening[socket.inode] = socket
                    } else {
                        hints[event.pid, default: []].append(SocketHint(proto: .udp, port: event.port))
                    }
                    rescan.insert(event.pid)
                }
            case .listen:
                if let socket = event.socket, socket.inode != 0, socket.port != 0 {
                    listening[socket.inode] = socket
                } else if event.inode != 0 {
                    hints[event.pid, default: []].append(SocketHint(inode: event.inode, proto: .tcp))
                }
                rescan.insert(event.pid)
            case .close:
                if event.inode == 0 {
                    // A UDP release names no socket: only a process known to hold listeners can lose one.
                    relevant = holders.contains(event.pid)
                    if relevant { rescan.insert(event.pid) }
                    break
                }
                listening.removeValue(forKey: event.inode)
                rescan.insert(event.pid)
                // A shared listener closes for every holder at once.
                for record in differ.known.values where record.ports?.contains(where: { $0.socket.inode == event.inode }) == true {
                    rescan.insert(record.pid)
                }
            case .fork:
                // The child inherits its parent's listeners. The parent may have started
                // listening earlier in this same batch, so pids being rescanned count too.
                relevant = holders.contains(event.ppid) || rescan.contains(event.ppid)
                if relevant { rescan.insert(event.pid) }
                // A child of a matched process inherits its match even if it listens on nothing.
                // The parent may have started listening earlier in this batch, so not be matched yet.
                if matchedPIDs.contains(event.ppid) || rescan.contains(event.ppid) || keepPortless.contains(event.ppid) {
                    keepPortless.insert(event.pid)
                }
            case .exec:
                relevant = holders.contains(event.pid) || rescan.contains(event.pid)
                if relevant { rescan.insert(event.pid) }
                // A new program may be one a selector without open_ports picks.
                if portlessSelectors || holders.contains(event.pid) { keepPortless.insert(event.pid) }
            case .exit:
                relevant = holders.contains(event.pid)
                if relevant { exited.insert(event.pid) }
            }
            published.append((event, relevant))
        }
        keepPortless.subtract(exited)
        rescan.formUnion(keepPortless)
        guard !rescan.isEmpty || !exited.isEmpty else {
            for (event, relevant) in published { pending.append(.kernel(event, relevant: relevant)) }
            return
        }
        let (records, learned) = scanner.rescan(
            pids: Array(rescan.subtracting(exited)), listening: listening, keepPortless: keepPortless, hints: hints)
        for socket in learned { listening[socket.inode] = socket }
        for (event, relevant) in published {
            var event = Self.completed(event, from: records)
            if event.kind == .close, event.inode == 0, let closed = closedUDPSocket(of: event.pid, now: records) {
                listening.removeValue(forKey: closed.inode)
                event.port = closed.port
                event.address = closed.address
                event.inode = closed.inode
                event.netns = closed.netns
            }
            pending.append(.kernel(event, relevant: relevant))
        }
        apply(differ.apply(worthKeeping(records), scope: rescan.union(exited)))
    }

    /// The one UDP socket `pid` held before this rescan and holds no more, if exactly one: what a
    /// sock_release event (which cannot read the port) was about.
    private func closedUDPSocket(of pid: Int32, now records: [ProcessRecord]) -> ListeningSocket? {
        guard let before = differ.known.values.first(where: { $0.pid == pid })?.ports else { return nil }
        let after = Set(records.first { $0.pid == pid }?.ports?.map(\.socket.inode) ?? [])
        let gone = before.map(\.socket).filter { $0.proto == .udp && !after.contains($0.inode) }
        return gone.count == 1 ? gone[0] : nil
    }

    /// Fills in what the hook could not see from the rescan of the event's process: the port of
    /// an auto-bound listen (the state tracepoint fires before the kernel picks it), and the
    /// socket of a bind reported by a cgroup hook (which has no inode or namespace).
    static func completed(_ event: KernelEvent, from records: [ProcessRecord]) -> KernelEvent {
        guard event.isSocketEvent, event.kind != .close, event.port == 0 || event.inode == 0 else { return event }
        guard let record = records.first(where: { $0.pid == event.pid }), let ports = record.ports else { return event }
        let held = ports.first { held in
            event.inode != 0
                ? held.socket.inode == event.inode
                : held.socket.port == event.port && held.socket.proto == event.proto && held.socket.family == event.family
        }
        guard let socket = held?.socket else { return event }
        var result = event
        result.port = socket.port
        result.inode = socket.inode
        if result.netns == 0 { result.netns = socket.netns }
        return result
    }

    /// Listeners always; a port-less process only while the matcher picks it (or soon will),
    /// judged against its parent's verdict as of this batch: the parent may be in it too.
    private func worthKeeping(_ records: [ProcessRecord]) -> [ProcessRecord] {
        guard records.contains(where: { $0.ports?.isEmpty != false }) else { return records }
        let fresh = Dictionary(records.map { ($0.pid, $0) }, uniquingKeysWith: { first, _ in first })
        var known: [Int32: ProcessIdentity] = [:]
        for identity in differ.known.keys { known[identity.pid] = identity }
        func verdict(of pid: Int32, depth: Int) -> MatchVerdict? {
            guard let record = fresh[pid] else { return known[pid].flatMap { state.verdicts[$0] } }
            let parent = depth < 16 && record.ppid != pid ? verdict(of: record.ppid, depth: depth + 1) : nil
            return matcher.verdict(for: record, parent: parent)
        }
        return records.filter { $0.ports?.isEmpty == false || verdict(of: $0.pid, depth: 0)?.isCandidate == true }
    }

    /// Pids the engine knows as listeners (for tests that drive `handle` directly).
    var knownPIDs: [Int32] { differ.known.keys.map(\.pid) }

    // MARK: - Matching and publishing

    private func apply(_ changes: [DiscoveryEvent]) {
        let now = WallClock.now()
        var toMatch: [ProcessRecord] = []
        var announce = Set<ProcessIdentity>()
        for change in changes {
            switch change {
            case .created(let record):
                pending.append(.created(record))
                if state.discoveredAt[record.identity] == nil { state.discoveredAt[record.identity] = now }
                toMatch.append(record)
                announce.insert(record.identity)
            case .changed(let old, let new):
                pending.append(.changed(old: old, new: new))
                toMatch.append(new)
            case .deleted(let record):
                pending.append(.deleted(record))
                if state.verdicts[record.identity]?.matched == true {
                    pending.append(.unmatched(record, reason: "exited or stopped listening"))
                }
                state.verdicts.removeValue(forKey: record.identity)
                state.discoveredAt.removeValue(forKey: record.identity)
                state.matchedAt.removeValue(forKey: record.identity)
            }
        }
        state.processes = differ.known.values.sorted { $0.identity < $1.identity }
        match(toMatch, announce: announce)
    }

    /// Matches `records`, parents before children; when a process's verdict changes, its
    /// known children are matched again (they may inherit, or stop inheriting). `announce`
    /// re-sends `matched` for a process that was already matched (just discovered, or gained
    /// ports, which a consumer wants to hear).
    private func match(_ records: [ProcessRecord], announce: Set<ProcessIdentity>) {
        guard !records.isEmpty else { return }
        // Parents matter only to port-less processes and children only when a verdict
        // changes: the index over every known process is built the first time either happens.
        lazy var family = Family(differ.known.values)
        var queue = records.sorted { ($0.identity.startTime, $0.pid) < ($1.identity.startTime, $1.pid) }
        var done = Set<ProcessIdentity>()
        var index = 0
        while index < queue.count {
            let record = queue[index]
            index += 1
            guard done.insert(record.identity).inserted else { continue }
            let portless = record.ports?.isEmpty ?? true
            let parent = portless ? family.parent(of: record).flatMap { state.verdicts[$0.identity] } : nil
            var verdict = matcher.verdict(for: record, parent: parent)
            let old = state.verdicts[record.identity]
            // Beyla keeps an inherited match after the parent exits (the child is reparented).
            if portless, parent == nil, old?.state == .inherited, verdict.state == .unmatched { verdict = old! }
            state.verdicts[record.identity] = verdict
            publishChange(record, from: old, to: verdict, announce: announce.contains(record.identity))
            if old?.state != verdict.state { queue += family.children(of: record) }
        }
        schedulePendingMatches()
    }

    private func publishChange(_ record: ProcessRecord, from old: MatchVerdict?, to verdict: MatchVerdict, announce: Bool) {
        let wasMatched = old?.matched == true
        // Matched again when how it matches changes (its own ports → inherited after exec).
        let reasonChanged = old?.state != verdict.state || old?.selectors != verdict.selectors
        if verdict.matched, !wasMatched || announce || reasonChanged {
            if !wasMatched { state.matchedAt[record.identity] = WallClock.now() }
            pending.append(.matched(record, verdict))
        } else if !verdict.matched, wasMatched {
            state.matchedAt.removeValue(forKey: record.identity)
            pending.append(.unmatched(record, reason: verdict.failure ?? "no longer matches"))
        }
    }

    /// Pending (too young) matches are matched again when the first of them comes of age.
    private func schedulePendingMatches() {
        pendingTimer?.cancel()
        pendingTimer = nil
        let due = state.verdicts.values.compactMap { $0.state == .pending ? $0.pendingUntil : nil }.min()
        guard let due else { return }
        let now = WallClock.now()
        let wait = due > now ? due - now : 0
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .nanoseconds(Int(min(wait, 3_600_000_000_000)) + 5_000_000))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let ready = self.differ.known.values.filter { self.state.verdicts[$0.identity]?.state == .pending }
            self.match(Array(ready), announce: [])
            self.flush()
        }
        timer.resume()
        pendingTimer = timer
    }

    private func flush() {
        guard let publish else { return }
        let events = pending
        pending.removeAll(keepingCapacity: true)
        publish(EngineUpdate(events: events, state: state))
    }
}

/// Parent and child links among the known processes, by pid.
private struct Family {
    private var byPID: [Int32: ProcessRecord] = [:]
    private var childrenByPID: [Int32: [ProcessRecord]] = [:]

    init(_ records: some Sequence<ProcessRecord>) {
        for record in records {
            byPID[record.pid] = record
            childrenByPID[record.ppid, default: []].append(record)
        }
    }

    func parent(of record: ProcessRecord) -> ProcessRecord? {
        record.ppid == record.pid ? nil : byPID[record.ppid]
    }

    func children(of record: ProcessRecord) -> [ProcessRecord] {
        childrenByPID[record.pid] ?? []
    }
}
