import Dispatch
import Glibc

/// A socket descriptor held by a process: `/proc/PID/fd/FD -> socket:[INODE]`.
public struct SocketReference: Sendable, Hashable {
    public var inode: UInt64
    public var pid: Int32
    public var fd: Int32
}

/// What one walk over `/proc/*/fd` found.
public struct FdTable: Sendable {
    /// Every socket descriptor of every readable process.
    public var sockets: [SocketReference] = []
    /// Network namespace inode per pid, where readable.
    public var netnsByPID: [Int32: UInt64] = [:]
    /// Pids whose descriptors could not be read (EACCES/EPERM: not root, or ptrace rules).
    public var deniedPIDs: [Int32] = []
    /// Every pid that still existed when it was walked.
    public var livePIDs: [Int32] = []
}

/// Maps socket inodes to pids by walking each process's fd directory once: the work Beyla
/// (through gopsutil) repeats for every pid together with a full socket-table parse.
public struct FdWalker: Sendable {
    public let procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// All pids (thread-group leaders) under the proc root.
    public func listPIDs() -> [Int32] {
        let fd = open(procRoot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        return SystemFiles.numericEntries(ofDirectoryFD: fd)
    }

    /// Walks `pids` (all of them when nil). Large walks are split across cores: each readlink
    /// is a separate syscall and they do not contend with each other.
    public func walk(pids: [Int32]? = nil) -> FdTable {
        let all = pids ?? listPIDs()
        let workers = all.count >= 512 ? min(ProcessInfoCores.active, 8) : 1
        guard workers > 1 else { return walkChunk(all[...]) }
        let chunkSize = (all.count + workers - 1) / workers
        let partials = PerWorkerSlots<FdTable>(count: workers, initial: FdTable())
        DispatchQueue.concurrentPerform(iterations: workers) { index in
            let start = index * chunkSize
            let end = min(start + chunkSize, all.count)
            if start < end { partials[index] = walkChunk(all[start..<end]) }
        }
        var merged = FdTable()
        merged.sockets.reserveCapacity(partials.values.reduce(0) { $0 + $1.sockets.count })
        for part in partials.values {
            merged.sockets += part.sockets
            merged.netnsByPID.merge(part.netnsByPID) { a, _ in a }
            merged.deniedPIDs += part.deniedPIDs
            merged.livePIDs += part.livePIDs
        }
        return merged
    }

    private func walkChunk(_ pids: ArraySlice<Int32>) -> FdTable {
        var table = FdTable()
        let root = open(procRoot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return table }
        defer { close(root) }
        let link = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
        defer { link.deallocate() }
        for pid in pids {
            let pidDir = openat(root, String(pid), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard pidDir >= 0 else { continue }  // exited since the listing: skip quietly
            defer { close(pidDir) }
            if let netns = readBracketed(pidDir, "ns/net", prefixLength: 5, into: link) {
                table.netnsByPID[pid] = netns
            }
            let fdDir = openat(pidDir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fdDir >= 0 else {
                if errno == EACCES || errno == EPERM { table.deniedPIDs.append(pid) }
                if errno != ENOENT && errno != ESRCH { table.livePIDs.append(pid) }
                continue
            }
            table.livePIDs.append(pid)
            collectSockets(pid: pid, fdDir: fdDir, link: link, into: &table.sockets)
        }
        return table
    }

    private func collectSockets(pid: Int32, fdDir: Int32, link: UnsafeMutableBufferPointer<UInt8>, into sockets: inout [SocketReference]) {
        guard let dir = fdopendir(fdDir) else {
            close(fdDir)
            return
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            // Only symlinks name descriptors; "." and ".." are directories.
            guard entry.pointee.d_type == UInt8(DT_LNK) else { continue }
            withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                let name = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
                let count = link.withMemoryRebound(to: CChar.self) { readlinkat(fdDir, name, $0.baseAddress!, $0.count) }
                // "socket:[N]": the prefix "socket:" is 7 bytes.
                guard count > 9, link[0] == UInt8(ascii: "s"), link[1] == UInt8(ascii: "o"), link[6] == UInt8(ascii: ":"),
                      let inode = SystemFiles.bracketedNumber(UnsafeBufferPointer(rebasing: link[0..<count]), prefixLength: 8)
                else { return }
                sockets.append(SocketReference(inode: inode, pid: pid, fd: Int32(atoi(name))))
            }
        }
    }

    private func readBracketed(_ dir: Int32, _ path: String, prefixLength: Int, into link: UnsafeMutableBufferPointer<UInt8>) -> UInt64? {
        let count = link.withMemoryRebound(to: CChar.self) { readlinkat(dir, path, $0.baseAddress!, $0.count) }
        guard count > 0 else { return nil }
        return SystemFiles.bracketedNumber(UnsafeBufferPointer(rebasing: link[0..<count]), prefixLength: prefixLength)
    }
}

/// One result slot per worker of a `concurrentPerform`; each worker writes only its own index,
/// and the slots are read after the call returns, so no lock is needed.
final class PerWorkerSlots<Value>: @unchecked Sendable {
    // A fixed buffer, not an Array property: concurrent writes through a class's Array would
    // trip Swift's exclusivity checks even on distinct elements.
    private let slots: UnsafeMutableBufferPointer<Value>

    init(count: Int, initial: Value) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: initial)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    subscript(index: Int) -> Value {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    var values: [Value] { Array(slots) }
}

enum ProcessInfoCores {
    static let active: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
