import CBPF
import Glibc

/// The loaded watcher programs and their ring buffer.
///
/// For each concern (bind, socket state, UDP release, fork, exec, exit) the watcher probes the
/// tiers best first and takes the first the kernel offers; the rest of the object's programs
/// are switched off before load. A tier the probe passed that still fails to load or attach
/// (a verifier rejection, a refused attach) is passed over for the next one, and every tier
/// passed over is kept with its typed reason.
public final class KernelWatcher: @unchecked Sendable {
    public let hooks: WatcherHooks
    /// Better tiers not used, best first within each concern, with why.
    public let passedOver: [HookAttempt]
    private let object: BPFObject
    private let ring: OpaquePointer
    private let lostFD: Int32
    /// One consumer at a time: libbpf's ring buffer keeps one consumer position, and its
    /// callback appends to the one inbox. Two threads draining at once raced on both
    /// (ThreadSanitizer; the inbox's array was corrupted). The lock holds the inbox it guards:
    /// a lock around an empty value (`Locked<Void>`) put that zero-sized value at the object's
    /// own address, and TSan took every call's read of the object header for a race with it.
    private let consumer: Locked<Inbox>

    /// Loads the watcher. `forced` pins a concern to exactly one tier (nil turns it off); the
    /// load fails with `.notAvailable` when a pinned tier cannot run here.
    public init(forced: [HookConcern: HookTier?] = [:], capabilities: Capabilities = .current) throws(BPFError) {
        // The ring buffer's callback reaches the inbox through an unretained pointer: the lock
        // keeps it alive as long as the watcher.
        let inbox = Inbox()
        consumer = Locked(inbox)
        if let reason = BPFError.preflight(capabilities) { throw reason }
        let probe = KernelProbe(capabilities: capabilities)
        var failed: [HookAttempt] = []
        var refused: [HookAttempt] = []
        while true {
            let (plan, passed) = Self.plan(forced: forced, probe: probe, refused: refused)
            failed = passed
            for (concern, tier) in forced {
                if let tier, plan[concern] == nil,
                   let attempt = (failed + refused).first(where: { $0.concern == concern && $0.tier == tier }) {
                    throw .notAvailable(concern, tier, because: attempt.reason)
                }
            }
            guard !plan.tiers.isEmpty else { throw .noHookLoaded(failed + refused) }
            probe.releaseBTF()
            do {
                (object, ring, lostFD) = try Self.load(plan, inbox: inbox)
                hooks = plan
                passedOver = (failed + refused).sorted { ($0.concern, $0.tierRank) < ($1.concern, $1.tierRank) }
                return
            } catch {
                // Find which concern's programs the kernel refused, and drop that tier only.
                let culprits = Self.culprits(of: error, plan: plan)
                guard !culprits.isEmpty else { throw error }
                refused += culprits.map { HookAttempt(concern: $0.0, tier: $0.1, reason: $0.2) }
            }
        }
    }

    deinit {
        ring_buffer__free(ring)
    }

    /// The first usable tier of every concern, and the tiers passed over on the way.
    private static func plan(forced: [HookConcern: HookTier?], probe: KernelProbe, refused: [HookAttempt]) -> (WatcherHooks, [HookAttempt]) {
        var chosen: [HookConcern: HookTier] = [:]
        var passed: [HookAttempt] = []
        for concern in HookConcern.allCases {
            let candidates: [HookTier]
            if let pinned = forced[concern] { candidates = pinned.map { [$0] } ?? [] } else { candidates = concern.tiers }
            for tier in candidates where !refused.contains(where: { $0.concern == concern && $0.tier == tier }) {
                if let reason = probe.check(concern, tier) {
                    passed.append(HookAttempt(concern: concern, tier: tier, reason: reason))
                } else {
                    chosen[concern] = tier
                    break
                }
            }
        }
        return (WatcherHooks(tiers: chosen), passed)
    }

    /// Which tiers of `plan` caused `error`: named by the program for an attach; for a load,
    /// found by loading each concern's programs alone (only on this failure path).
    private static func culprits(of error: BPFError, plan: WatcherHooks) -> [(HookConcern, HookTier, BPFError)] {
        switch error {
        case .attachRefused(let program, _, _):
            return plan.tiers.filter { $0.key.programs($0.value).contains(program) }.map { ($0.key, $0.value, error) }
        case .loadRefused:
            return plan.tiers.sorted { $0.key < $1.key }.compactMap { concern, tier -> (HookConcern, HookTier, BPFError)? in
                do throws(BPFError) {
                    _ = try BPFObject(image: BPFObjects.watcher, name: "watcher", enabled: Set(concern.programs(tier)))
                    return nil
                } catch {
                    return (concern, tier, error)
                }
            }
        default:
            return []
        }
    }

    private static func load(_ plan: WatcherHooks, inbox: Inbox) throws(BPFError) -> (BPFObject, OpaquePointer, Int32) {
        let object = try BPFObject(image: BPFObjects.watcher, name: "watcher", enabled: Set(plan.programs))
        let cgroup: Int32? = try? Cgroup2Root.shared.get()
        try object.attach(plan.programs, cgroup: cgroup)
        let eventsFD = try object.mapFD("events")
        let lostFD = try object.mapFD("lost")
        let context = Unmanaged.passUnretained(inbox).toOpaque()
        guard let ring = ring_buffer__new(eventsFD, { context, data, size in
            guard let context, let data else { return 0 }
            let inbox = Unmanaged<Inbox>.fromOpaque(context).takeUnretainedValue()
            if let event = KernelEvent.decode(UnsafeRawBufferPointer(start: data, count: size)) {
                inbox.events.append(event)
            }
            return 0
        }, context, nil) else {
            throw BPFError.call(.ringBuffer, code: errno)
        }
        return (object, ring, lostFD)
    }

    /// A descriptor that becomes readable when events wait (for epoll or a dispatch source).
    public var readinessFD: Int32 { ring_buffer__epoll_fd(ring) }

    /// Takes every event waiting now, without blocking.
    public func drain() -> [KernelEvent] {
        consumer.withLock { inbox in
            _ = ring_buffer__consume(ring)
            return inbox.take()
        }
    }

    /// Waits up to `milliseconds` for events, then takes them.
    public func wait(milliseconds: Int32) -> [KernelEvent] {
        consumer.withLock { inbox in
            _ = ring_buffer__poll(ring, milliseconds)
            return inbox.take()
        }
    }

    /// Events the kernel could not queue (ring buffer full) since load.
    public func lostEvents() -> UInt64 {
        // A per-CPU counter: one value per possible CPU, summed here.
        var key: UInt32 = 0
        var values = [UInt64](repeating: 0, count: Int(max(1, libbpf_num_possible_cpus())))
        guard bpf_map_lookup_elem(lostFD, &key, &values) == 0 else { return 0 }
        return values.reduce(0, &+)
    }

    /// Collects decoded events from the C callback; only touched under `consumer`.
    private final class Inbox {
        var events: [KernelEvent] = []

        func take() -> [KernelEvent] {
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
