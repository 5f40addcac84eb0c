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
    /// Kernel threads whose descriptors were denied: not in `deniedPIDs`, because they provably
    /// hold no sockets.
    public var deniedKernelThreads = 0
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
        defer { close(fd) }
        var pids: [Int32] = []
        DirectoryEntries.forEach(in: fd) { name, _ in
            if let pid = DirectoryEntries.number(name) { pids.append(pid) }
        }
        return pids
    }

    /// Walks `pids` (all of them when nil), split across cores for large walks.
    public func walk(pids: [Int32]? = nil) -> FdTable {
        let parts = Parallel.chunks(pids ?? listPIDs()) { walkChunk($0) }
        guard parts.count > 1 else { return parts[0] }
        var merged = FdTable()
        merged.sockets.reserveCapacity(parts.reduce(0) { $0 + $1.sockets.count })
        for part in parts {
            merged.sockets += part.sockets
            merged.netnsByPID.merge(part.netnsByPID) { a, _ in a }
            merged.deniedPIDs += part.deniedPIDs
            merged.deniedKernelThreads += part.deniedKernelThreads
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
        var path = PIDPath()
        for pid in pids {
            let fdDir = path.with(pid, "fd") { openat(root, $0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            guard fdDir >= 0 else {
                // ENOENT/ESRCH: exited since the listing; skip quietly.
                guard errno == EACCES || errno == EPERM else { continue }
                if path.with(pid, "stat", { ProcStat.read($0, relativeTo: root) })?.isKernelThread == true {
                    table.deniedKernelThreads += 1
                } else {
                    table.deniedPIDs.append(pid)
                }
                continue
            }
            let before = table.sockets.count
            collectSockets(pid: pid, fdDir: fdDir, link: link, into: &table.sockets)
            close(fdDir)
            // Only a process holding sockets can hold one from another namespace.
            if table.sockets.count > before {
                let count = path.with(pid, "ns/net") { name in
                    link.withMemoryRebound(to: CChar.self) { readlinkat(root, name, $0.baseAddress!, $0.count) }
                }
                if count > 0, let netns = SystemFiles.bracketedNumber(UnsafeBufferPointer(rebasing: link[0..<count]), prefixLength: 5) {
                    table.netnsByPID[pid] = netns
                }
            }
        }
        return table
    }

    private func collectSockets(pid: Int32, fdDir: Int32, link: UnsafeMutableBufferPointer<UInt8>, into sockets: inout [SocketReference]) {
        DirectoryEntries.forEach(in: fdDir) { name, type in
            // Only symlinks name descriptors; "." and ".." are directories.
            guard type == UInt8(DT_LNK) else { return }
            let count = link.withMemoryRebound(to: CChar.self) { readlinkat(fdDir, name, $0.baseAddress!, $0.count) }
            // "socket:[N]": the prefix "socket:[" is 8 bytes.
            guard count > 9, link[0] == UInt8(ascii: "s"), link[1] == UInt8(ascii: "o"), link[6] == UInt8(ascii: ":"),
                  let inode = SystemFiles.bracketedNumber(UnsafeBufferPointer(rebasing: link[0..<count]), prefixLength: 8),
                  let fd = DirectoryEntries.number(name)
            else { return }
            sockets.append(SocketReference(inode: inode, pid: pid, fd: fd))
        }
    }
}

/// Formats `PID/suffix` into a reused C buffer: no String per process in the walk.
struct PIDPath {
    private var bytes = [CChar](repeating: 0, count: 64)

    mutating func with<T>(_ pid: Int32, _ suffix: StaticString, _ body: (UnsafePointer<CChar>) -> T) -> T {
        bytes.withUnsafeMutableBufferPointer { buffer in
            var digits = 0
            var value = pid
            repeat {
                digits += 1
                value /= 10
            } while value > 0
            value = pid
            for index in stride(from: digits - 1, through: 0, by: -1) {
                buffer[index] = CChar(48 + value % 10)
                value /= 10
            }
            buffer[digits] = CChar(UInt8(ascii: "/"))
            var cursor = digits + 1
            suffix.withUTF8Buffer { for byte in $0 { buffer[cursor] = CChar(byte); cursor += 1 } }
            buffer[cursor] = 0
            return body(UnsafePointer(buffer.baseAddress!))
        }
    }
}

