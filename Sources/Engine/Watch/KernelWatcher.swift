import CBPF
import Glibc

/// The loaded watcher programs and their ring buffer. Tries the best bind hook first and falls
/// back one tier at a time; a tier counts only once it has loaded *and* attached, since a
/// kernel without kprobes loads a kprobe program happily and refuses only at attach.
public final class KernelWatcher: @unchecked Sendable {
    public let hooks: WatcherHooks
    /// Why better tiers were passed over, e.g. `fexit: load watcher: ...`.
    public let passedOver: [String]
    private let object: BPFObject
    private let ring: OpaquePointer
    private let lostFD: Int32
    private let inbox = Inbox()

    /// Loads the watcher. `bind` forces a hook tier and allows only tiers below it (for tests
    /// and for kernels where a better hook misbehaves).
    public init(bind preferred: BindHook? = nil) throws(BPFError) {
        if let reason = BPFError.preflight() { throw reason }
        var failures: [String] = []
        for bind in (preferred ?? .fexit).fallbacks {
            // Fork through tp_btf is tried with every bind tier; only when on_fork itself is
            // what failed is the same tier tried again without it.
            for fork in [true, false] {
                let plan = WatcherHooks(bind: bind, fork: fork)
                do {
                    let (object, ring, lostFD) = try Self.load(plan, inbox: inbox)
                    self.object = object
                    self.ring = ring
                    self.lostFD = lostFD
                    hooks = plan
                    passedOver = failures
                    return
                } catch {
                    failures.append("\(plan.bind.rawValue)\(fork ? "" : " without fork"): \(error)")
                    if !"\(error)".contains("on_fork") { break }
                }
            }
        }
        throw BPFError(failures.last ?? "no hook could be loaded")
    }

    deinit {
        ring_buffer__free(ring)
    }

    private static func load(_ plan: WatcherHooks, inbox: Inbox) throws(BPFError) -> (BPFObject, OpaquePointer, Int32) {
        let object = try BPFObject(image: BPFObjects.watcher, name: "watcher", enabled: Set(plan.programs))
        try object.attach(plan.programs)
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
            throw BPFError.from(step: "ring buffer", code: errno)
        }
        return (object, ring, lostFD)
    }

    /// A descriptor that becomes readable when events wait (for epoll or a dispatch source).
    public var readinessFD: Int32 { ring_buffer__epoll_fd(ring) }

    /// Takes every event waiting now, without blocking.
    public func drain() -> [KernelEvent] {
        _ = ring_buffer__consume(ring)
        return inbox.take()
    }

    /// Waits up to `milliseconds` for events, then takes them.
    public func wait(milliseconds: Int32) -> [KernelEvent] {
        _ = ring_buffer__poll(ring, milliseconds)
        return inbox.take()
    }

    /// Events the kernel could not queue (ring buffer full) since load.
    public func lostEvents() -> UInt64 {
        // A per-CPU counter: one value per possible CPU, summed here.
        var key: UInt32 = 0
        var values = [UInt64](repeating: 0, count: Int(max(1, libbpf_num_possible_cpus())))
        guard bpf_map_lookup_elem(lostFD, &key, &values) == 0 else { return 0 }
        return values.reduce(0, &+)
    }

    /// Collects decoded events from the C callback; only touched by the thread that polls.
    private final class Inbox {
        var events: [KernelEvent] = []

        func take() -> [KernelEvent] {
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
