import CLinux
import Dispatch
import Glibc

/// Runs discovery on its own dispatch queue and publishes immutable updates: plumbing only.
/// The discovery core decides; the engine feeds it scans, kernel batches, criteria and ticks,
/// from its I/O adapters, on its timers.
///
/// With eBPF, a kernel event names the pid: only that process is rescanned, matched and
/// published, so discovery takes milliseconds instead of Beyla's 5-second poll; exec and exit
/// create and delete without polling; a slow sweep keeps the picture honest. Without eBPF (no
/// root, no BTF, a verifier rejection, `--no-ebpf`) it polls like Beyla and says why.
public final class DiscoveryEngine: @unchecked Sendable {
    // Everything below is touched only on `queue`.
    private let queue = DispatchQueue(label: "discotop.engine", qos: .userInitiated)
    private let options: EngineOptions
    private var source: any ProcessSource
    private var watcher: (any KernelEventSource)?
    private var core: DiscoveryCore
    private var state = EngineState()
    private var pending: [TimedEvent] = []
    private var publish: (@Sendable (EngineUpdate) -> Void)?
    private var sources: [any DispatchSourceProtocol] = []
    private var reportedLost: UInt64 = 0
    private var pendingTimer: (any DispatchSourceTimer)?
    private var pendingDue: UInt64?
    private var criteriaRescan: (any DispatchSourceTimer)?

    public init(options: EngineOptions) {
        self.options = options
        core = DiscoveryCore(matcher: Matcher(criteria: options.criteria, selfPID: getpid()))
        core.recordsLifecycle = options.lifecycleEvents
        source = Scanner(forceProcNet: options.forceProcNet)
        state.criteria = options.criteria
    }

    /// Loads the watcher (or settles for polling), takes the first full scan and starts
    /// publishing. `publish` is called on the engine's queue and must not block it: hand the
    /// update over (to a mailbox, a writer thread) and return.
    public func start(_ publish: @escaping @Sendable (EngineUpdate) -> Void) {
        queue.async { [self] in
            self.publish = publish
            setUpSources()
            // The BPF loads' code (probes, object loads) does not run again: its pages go back
            // before the first full scan, whose peak is the run's.
            _ = discotop_release_startup_text()
            fullScan()
            flush()
        }
    }

    /// Re-filters every process at once (the monitor's `/` prompt) and publishes the result.
    /// Port-less processes the new criteria pick are found by a full scan shortly after, once
    /// the user stops typing.
    public func setCriteria(_ criteria: Criteria) {
        queue.async { [self] in
            ingest(.criteria(criteria))
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
        // The iterator and the watcher load one after the other: each parses the kernel's BTF
        // (5.5 MB here, held twice over while it is read), and side by side (with the watcher's
        // probe holding a third copy) they were the run's peak of memory, 38 MB at start,
        // against some 20 ms saved.
        // The monitor's prompt can add criteria later; the population then comes from /proc.
        let tasks = !options.criteria.isEmpty
        let iteratorLoad: Result<IteratorScan, BPFError>? = options.useEBPF && !options.forceProcNet
            ? Result { () throws(BPFError) in try IteratorScan(tasks: tasks) } : nil
        for limit in Capabilities.current.limits { note(.capability(limit)) }
        let watcherLoad: Result<KernelWatcher, BPFError>? = options.useEBPF
            ? Result { () throws(BPFError) in try KernelWatcher(forced: options.hooks) } : nil
        // The iterator's outcome first: the mode line names where full scans come from.
        if let iterator = useIterator(iteratorLoad) {
            source = Scanner(forceProcNet: options.forceProcNet, iterator: iterator)
        }
        switch watcherLoad {
        case nil:
            startPolling(reason: .disabled)
        case .success(let watcher):
            self.watcher = watcher
            state.mode = .ebpf(hooks: watcher.hooks, sweepSeconds: options.sweepInterval)
            note(.mode(state.mode, fullScans: state.iteratorActive ? .iterator : .proc))
            for attempt in watcher.passedOver { note(.hookPassedOver(attempt)) }
            for limit in watcher.hooks.limits { note(.hookLimit(limit)) }
            let readable = DispatchSource.makeReadSource(fileDescriptor: watcher.readinessFD, queue: queue)
            readable.setEventHandler { [weak self] in self?.drainKernelEvents() }
            readable.resume()
            sources.append(readable)
            schedule(every: options.sweepInterval) { [weak self] in self?.fullScan() }
        case .failure(let error):
            // Poll mode lists every tier that was tried, not only the last one.
            if case .noHookLoaded(let attempts) = error {
                for attempt in attempts { note(.hookPassedOver(attempt)) }
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
            note(.scanFallback(reason: "\(error)"))
            return nil
        case nil:
            return nil
        }
    }

    private func startPolling(reason: PollReason) {
        state.mode = .poll(intervalSeconds: options.pollInterval, reason: reason)
        note(.mode(state.mode, fullScans: state.iteratorActive ? .iterator : .proc))
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
        let snapshot = source.fullScan()
        state.lastFullScan = snapshot.report
        state.lastFullScanAt = WallClock.now()
        if let failure = snapshot.report.iteratorFailure {
            note(.scanFallback(reason: failure))
        }
        ingest(.fullScan(snapshot, portless: core.criteria.isEmpty ? nil : source))
    }

    private func drainKernelEvents() {
        guard let watcher else { return }
        let events = watcher.drain()
        if !events.isEmpty { handle(events) }
        let lost = watcher.lostEvents()
        if lost > reportedLost {
            note(.lostEvents(count: lost - reportedLost))
            reportedLost = lost
            state.lostEvents = lost
            fullScan()
        }
        flush()
    }

    /// A kernel batch: the core names the pids to read, the source reads them, the core folds
    /// the result in. Never a full scan.
    func handle(_ events: [KernelEvent]) {
        let plan = core.plan(events)
        let read = plan.needsNoRead
            ? (records: [], learned: [])
            : source.rescan(pids: plan.pids, listening: core.listening, keepPortless: plan.keepPortless, hints: plan.hints)
        ingest(.rescan(plan, records: read.records, learned: read.learned))
    }

    /// Pids the engine knows (for tests that drive `handle` directly).
    var knownPIDs: [Int32] { core.records.keys.map(\.pid) }

    // MARK: - The core and publishing

    private func ingest(_ input: DiscoveryInput) {
        pending += core.ingest(input, now: WallClock.now())
        state.take(core)
        schedulePendingMatches()
    }

    /// Pending (too young) matches are judged again when the first of them comes of age.
    private func schedulePendingMatches() {
        guard core.nextDue != pendingDue else { return }
        pendingTimer?.cancel()
        pendingTimer = nil
        pendingDue = core.nextDue
        guard let due = pendingDue else { return }
        let now = WallClock.now()
        let wait = due > now ? due - now : 0
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .nanoseconds(Int(min(wait, 3_600_000_000_000)) + 5_000_000))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.pendingDue = nil
            self.ingest(.tick)
            self.flush()
        }
        timer.resume()
        pendingTimer = timer
    }

    private func note(_ notice: EngineNotice) {
        pending.append(TimedEvent(.info(notice), time: WallClock.now()))
    }

    private func flush() {
        guard let publish else { return }
        let events = pending
        // Not keeping the capacity: the first full scan's batch (an event per process, 5 MB
        // at 10,000) would stay allocated for the whole run.
        pending = []
        publish(EngineUpdate(events: events, state: state))
    }
}
