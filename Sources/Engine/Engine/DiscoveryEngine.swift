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
    public func setCriteria(_ criteria: Criteria) {
        queue.async { [self] in
            matcher.criteria = criteria
            state.criteria = criteria
            for record in differ.known.values.sorted(by: { $0.identity < $1.identity }) { evaluate(record, announce: false) }
            flush()
        }
    }

    /// Stops timers and the watcher; waits for the queue so no update follows the return.
    public func stop() {
        queue.sync {
            for source in sources { source.cancel() }
            sources.removeAll()
            watcher = nil
            publish = nil
        }
    }

    // MARK: - Setup

    private func setUpSources() {
        let iterator = loadIterator()
        scanner = Scanner(forceProcNet: options.forceProcNet, iterator: iterator)
        state.iteratorActive = iterator != nil
        guard options.useEBPF else {
            startPolling(reason: "--no-ebpf")
            return
        }
        do {
            let watcher = try KernelWatcher(bind: options.bindHook)
            self.watcher = watcher
            state.mode = .ebpf(hooks: watcher.hooks, sweepSeconds: options.sweepInterval)
            pending.append(.info("mode \(state.mode); hooks \(watcher.hooks); full scans via \(iterator != nil ? "bpf iterator" : "/proc")"))
            for reason in watcher.passedOver { pending.append(.info("hook passed over: \(reason)")) }
            let readable = DispatchSource.makeReadSource(fileDescriptor: watcher.readinessFD, queue: queue)
            readable.setEventHandler { [weak self] in self?.drainKernelEvents() }
            readable.resume()
            sources.append(readable)
            schedule(every: options.sweepInterval) { [weak self] in self?.fullScan() }
        } catch {
            startPolling(reason: "\(error)")
        }
    }

    private func loadIterator() -> IteratorScan? {
        guard options.useEBPF, !options.forceProcNet else { return nil }
        do {
            return try IteratorScan()
        } catch {
            pending.append(.info("full scans via /proc: bpf iterator unavailable (\(error))"))
            return nil
        }
    }

    private func startPolling(reason: String) {
        state.mode = .poll(intervalSeconds: options.pollInterval, reason: reason)
        pending.append(.info("mode \(state.mode)"))
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
        let snapshot = scanner.fullScan()
        listening = snapshot.listening
        state.lastFullScan = snapshot.report
        state.lastFullScanAt = WallClock.now()
        if let failure = snapshot.report.iteratorFailure {
            pending.append(.info("full scan fell back to /proc: bpf iterator: \(failure)"))
        }
        apply(differ.apply(snapshot))
    }

    private func drainKernelEvents() {
        guard let watcher else { return }
        let events = watcher.drain()
        if !events.isEmpty { handle(events) }
        let lost = watcher.lostEvents()
        if lost > reportedLost {
            pending.append(.info("lost \(lost - reportedLost) kernel events (ring buffer full); rescanning everything"))
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
        let holders = Set(differ.known.keys.map(\.pid))
        for event in events {
            var relevant = true
            switch event.kind {
            case .bind:
                // A bound UDP socket is a listener already; a bound TCP one waits for listen().
                if event.result == 0, event.proto == .udp, event.port != 0, let socket = event.socket {
                    listening[socket.inode] = socket
                    rescan.insert(event.pid)
                }
            case .listen:
                if let socket = event.socket, socket.inode != 0, socket.port != 0 { listening[socket.inode] = socket }
                rescan.insert(event.pid)
            case .close:
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
            case .exec:
                relevant = holders.contains(event.pid) || rescan.contains(event.pid)
                if relevant { rescan.insert(event.pid) }
            case .exit:
                relevant = holders.contains(event.pid)
                if relevant { exited.insert(event.pid) }
            }
            pending.append(.kernel(event, relevant: relevant))
        }
        guard !rescan.isEmpty || !exited.isEmpty else { return }
        let records = scanner.rescan(pids: Array(rescan.subtracting(exited)), listening: listening)
        apply(differ.apply(records, scope: rescan.union(exited)))
    }

    /// Pids the engine knows as listeners (for tests that drive `handle` directly).
    var knownPIDs: [Int32] { differ.known.keys.map(\.pid) }

    // MARK: - Matching and publishing

    private func apply(_ changes: [DiscoveryEvent]) {
        let now = WallClock.now()
        for change in changes {
            switch change {
            case .created(let record):
                pending.append(.created(record))
                if state.discoveredAt[record.identity] == nil { state.discoveredAt[record.identity] = now }
                evaluate(record, announce: true)
            case .changed(let old, let new):
                pending.append(.changed(old: old, new: new))
                evaluate(new, announce: false)
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
    }

    /// Matches one record. `announce` re-sends `matched` for a process that was already
    /// matched (it was just discovered or gained ports, which a consumer wants to hear).
    private func evaluate(_ record: ProcessRecord, announce: Bool) {
        let verdict = matcher.verdict(for: record)
        let wasMatched = state.verdicts[record.identity]?.matched == true
        state.verdicts[record.identity] = verdict
        if verdict.matched, !wasMatched || announce {
            if !wasMatched { state.matchedAt[record.identity] = WallClock.now() }
            pending.append(.matched(record, verdict))
        } else if !verdict.matched, wasMatched {
            state.matchedAt.removeValue(forKey: record.identity)
            pending.append(.unmatched(record, reason: verdict.failure ?? "no longer matches"))
        }
    }

    private func flush() {
        guard let publish else { return }
        let events = pending
        pending.removeAll(keepingCapacity: true)
        publish(EngineUpdate(events: events, state: state))
    }
}
