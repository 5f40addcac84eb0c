import CBPF

/// One event from the kernel watcher, decoded from `struct discotop_event` (bpf/discotop_event.h).
public struct KernelEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case bind, listen, close, fork, exec, exit
    }

    public var kind: Kind
    /// CLOCK_MONOTONIC nanoseconds when the kernel saw it.
    public var monotonicNanos: UInt64
    public var pid: Int32
    public var tid: Int32
    /// The parent's pid (fork, exec).
    public var ppid: Int32
    /// bind(2)'s result: 0 or a negative errno.
    public var result: Int32
    public var netns: UInt64
    /// Socket inode, 0 when unknown.
    public var inode: UInt64
    public var family: AddressFamily?
    /// nil for protocols discotop does not track (SCTP, MPTCP...); see `protocolNumber`.
    public var proto: TransportProtocol?
    public var protocolNumber: UInt16
    public var port: UInt16
    public var address: String
    public var comm: String
    /// The bytes of `comm` when they are not valid UTF-8 (see `KernelText`); nil otherwise.
    public var commBytes: [UInt8]? = nil
    /// The process's start time (ticks since boot, as in `ProcessIdentity`) and uid, which the
    /// kernel does not send: joined from what discovery knows or read, so that an event joins to
    /// its process. nil for a process discovery neither knew nor read.
    public var startTime: UInt64? = nil
    public var uid: UInt32? = nil
    /// In a view of remote agents (`--connect`), which one reported it, as `ProcessIdentity.node`;
    /// 0 for this machine's own watcher.
    public var node: UInt16 = 0

    public var isSocketEvent: Bool { kind == .bind || kind == .listen || kind == .close }

    /// Decodes one ring buffer record; nil when it is too short or of an unknown kind.
    public static func decode(_ raw: UnsafeRawBufferPointer) -> KernelEvent? {
        guard raw.count >= MemoryLayout<discotop_event>.size else { return nil }
        let e = raw.loadUnaligned(as: discotop_event.self)
        let kind: Kind
        switch Int(e.kind) {
        case Int(DISCOTOP_EVENT_BIND.rawValue): kind = .bind
        case Int(DISCOTOP_EVENT_LISTEN.rawValue): kind = .listen
        case Int(DISCOTOP_EVENT_CLOSE.rawValue): kind = .close
        case Int(DISCOTOP_EVENT_FORK.rawValue): kind = .fork
        case Int(DISCOTOP_EVENT_EXEC.rawValue): kind = .exec
        case Int(DISCOTOP_EVENT_EXIT.rawValue): kind = .exit
        default: return nil
        }
        let family = SocketCodes.family(e.family)
        let comm = e.flags & UInt16(DISCOTOP_FLAG_THREAD_COMM) != 0
            ? processName(Int32(bitPattern: e.pid)) ?? KernelText.decode(SocketCodes.bytes(e.comm)) : KernelText.decode(SocketCodes.bytes(e.comm))
        return KernelEvent(
            kind: kind, monotonicNanos: e.time_ns, pid: Int32(bitPattern: e.pid), tid: Int32(bitPattern: e.tid),
            ppid: Int32(bitPattern: e.ppid), result: e.result, netns: UInt64(e.netns), inode: e.inode, family: family,
            proto: SocketCodes.transport(e.protocol), protocolNumber: e.protocol, port: e.port,
            address: family.map { SocketCodes.address(family: $0, bytes: e.addr) } ?? "",
            comm: comm.text, commBytes: comm.invalidBytes)
    }

    /// The process's name (its main thread's comm), for events whose hook only knew the
    /// calling thread's; nil once the process is gone.
    static func processName(_ pid: Int32) -> (text: String, invalidBytes: [UInt8]?)? {
        guard case .value(let bytes) = SystemFiles.read("/proc/\(pid)/comm", limit: 64), !bytes.isEmpty else { return nil }
        return KernelText.decode(bytes.last == UInt8(ascii: "\n") ? bytes.dropLast() : bytes[...])
    }

    /// The socket this event is about, when it names a tracked one.
    public var socket: ListeningSocket? {
        guard isSocketEvent, let family, let proto else { return nil }
        return ListeningSocket(proto: proto, family: family, address: address, port: port, inode: inode, netns: netns)
    }
}

/// Kernel numbers and fixed C arrays as discotop's types.
enum SocketCodes {
    static func family(_ value: UInt16) -> AddressFamily? {
        switch value {
        case 2: .ipv4
        case 10: .ipv6
        default: nil
        }
    }

    static func transport(_ value: UInt16) -> TransportProtocol? {
        switch value {
        case 6: .tcp
        case 17: .udp
        default: nil
        }
    }

    static func address<T>(family: AddressFamily, bytes: T) -> String {
        withUnsafeBytes(of: bytes) { raw in
            InetAddressFormat.string(family: family, bytes: UnsafeRawBufferPointer(rebasing: raw[0..<(family == .ipv4 ? 4 : 16)]))
        }
    }

    /// A NUL-terminated fixed array (comm) as its bytes.
    static func bytes<T>(_ tuple: T) -> [UInt8] {
        withUnsafeBytes(of: tuple) { raw in Array(raw.prefix { $0 != 0 }) }
    }
}

// In an extension, so the memberwise initializer the decoder uses stays.
extension KernelEvent {
    /// An event another discotop reported (its `watch --json` line, read back by `--connect`).
    public init(
        kind: Kind, pid: Int32, tid: Int32, ppid: Int32, result: Int32, netns: UInt64, inode: UInt64, family: AddressFamily?,
        proto: TransportProtocol?, protocolNumber: UInt16, port: UInt16, address: String, comm: String, commBytes: [UInt8]?,
        startTime: UInt64?, uid: UInt32?
    ) {
        self.init(
            kind: kind, monotonicNanos: 0, pid: pid, tid: tid, ppid: ppid, result: result, netns: netns, inode: inode, family: family,
            proto: proto, protocolNumber: protocolNumber, port: port, address: address, comm: comm, commBytes: commBytes,
            startTime: startTime, uid: uid)
    }
}
