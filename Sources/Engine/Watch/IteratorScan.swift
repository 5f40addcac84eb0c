import CBPF
import Glibc

/// A listening socket as the kernel iterator reports it, with its owner's identity.
public struct IteratorListener: Sendable, Hashable {
    public var socket: ListeningSocket
    public var pid: Int32
    public var fd: Int32
    public var ppid: Int32
    /// Start time in clock ticks since boot, as /proc/PID/stat's field 22.
    public var startTicks: UInt64
    public var comm: [UInt8]
    /// The owner's css_set as an opaque key (0 when unknown): equal keys, equal cgroups.
    public var cgroupSet: UInt64 = 0
}

/// Full scans through the `iter/task_file` BPF program: one pass over every fd table in the
/// kernel, emitting only TCP listeners and bound, unconnected UDP sockets. The `iter/task`
/// program of the same object lists every process with its parent.
public final class IteratorScan: @unchecked Sendable {
    private let object: BPFObject
    private let listenerLink: OpaquePointer
    private let taskLink: OpaquePointer?
    /// /proc reports start times in USER_HZ ticks; the kernel keeps nanoseconds.
    private let nanosPerTick: UInt64

    /// `tasks` loads the process lister too. Only criteria need it, and verifying and
    /// attaching a second program costs a plain scan about 10 ms.
    public init(tasks: Bool = false) throws(BPFError) {
        if let reason = BPFError.preflight() { throw reason }
        let programs = ["dump_listeners"] + (tasks ? ["dump_tasks"] : [])
        object = try BPFObject(image: BPFObjects.iterator, name: "iterator", enabled: Set(programs))
        try object.attach(programs)
        listenerLink = object.links[0]
        taskLink = tasks ? object.links[1] : nil
        nanosPerTick = 1_000_000_000 / UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Runs the iterator once, handing over listeners batch by batch as the kernel produces
    /// them, so callers can work on early processes while the kernel walks the rest.
    public func listeners(_ batch: ([IteratorListener]) -> Void) throws(BPFError) {
        try run(listenerLink, recordSize: MemoryLayout<discotop_listener>.size) { batch(decode($0)) }
    }

    /// Every process (thread-group leader): its parent and its start time in clock ticks.
    public func tasks() throws(BPFError) -> [Int32: (ppid: Int32, startTime: UInt64)] {
        guard let taskLink else { throw BPFError.call(.missingProgram, errno: ENOENT, detail: "dump_tasks") }
        var result: [Int32: (ppid: Int32, startTime: UInt64)] = [:]
        let size = MemoryLayout<discotop_task>.size
        try run(taskLink, recordSize: size) { raw in
            var offset = 0
            while offset + size <= raw.count {
                let task = raw.loadUnaligned(fromByteOffset: offset, as: discotop_task.self)
                offset += size
                result[Int32(bitPattern: task.pid)] = (Int32(bitPattern: task.ppid), task.start_ns / nanosPerTick)
            }
        }
        return result
    }

    /// Reads one pass of the iterator behind `link`, whole records at a time.
    private func run(_ link: OpaquePointer, recordSize size: Int, _ records: (UnsafeRawBufferPointer) -> Void) throws(BPFError) {
        let fd = bpf_iter_create(bpf_link__fd(link))
        guard fd >= 0 else { throw BPFError.call(.iteratorCreate, code: errno) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        var filled = 0
        while true {
            let count = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw BPFError.call(.iteratorRead, code: errno)
            }
            if count == 0 { return }
            filled += count
            // Records never straddle reads in practice; keep any partial tail for the next read.
            let whole = filled - filled % size
            records(UnsafeRawBufferPointer(rebasing: buffer[0..<whole]))
            if whole < filled { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + whole, byteCount: filled - whole) }
            filled -= whole
        }
    }

    func decode(_ raw: UnsafeRawBufferPointer) -> [IteratorListener] {
        let size = MemoryLayout<discotop_listener>.size
        var result: [IteratorListener] = []
        result.reserveCapacity(raw.count / size)
        var offset = 0
        while offset + size <= raw.count {
            let r = raw.loadUnaligned(fromByteOffset: offset, as: discotop_listener.self)
            offset += size
            guard let family = SocketCodes.family(r.family), let proto = SocketCodes.transport(r.protocol) else { continue }
            let socket = ListeningSocket(
                proto: proto, family: family, address: SocketCodes.address(family: family, bytes: r.addr), port: r.port,
                inode: r.inode, netns: UInt64(r.netns))
            result.append(IteratorListener(
                socket: socket, pid: Int32(bitPattern: r.pid), fd: Int32(bitPattern: r.fd), ppid: Int32(bitPattern: r.ppid),
                startTicks: r.start_ns / nanosPerTick, comm: SocketCodes.bytes(r.comm), cgroupSet: r.cgroup_set))
        }
        return result
    }
}
