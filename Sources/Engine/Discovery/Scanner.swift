import Glibc

/// Builds snapshots. With a BPF iterator, one kernel pass finds every listener and its owner;
/// otherwise each namespace's socket table is read once, the fd tables are walked once, and the
/// two are joined on the socket inode. Both paths give the same answer (a test holds them to it).
public struct Scanner: Sendable {
    public let procRoot: String
    let walker: FdWalker
    let reader: ProcessReader
    let tables: SocketTableReader
    let iterator: IteratorScan?

    public init(procRoot: String = "/proc", forceProcNet: Bool = false, users: UserNames = UserNames(), iterator: IteratorScan? = nil) {
        self.procRoot = procRoot
        walker = FdWalker(procRoot: procRoot)
        reader = ProcessReader(procRoot: procRoot, users: users)
        tables = SocketTableReader(procRoot: procRoot, forceProcNet: forceProcNet)
        self.iterator = iterator
    }

    /// Everything: every process that holds a listening socket, in every network namespace.
    public func fullScan() -> Snapshot {
        fullScan(surroundings: false)
    }

    /// As `fullScan()`; with `surroundings`, each holder's cgroup and environment are read as well, while the
    /// kernel walks (iterator scans only; `Snapshot.surroundings`).
    public func fullScan(surroundings: Bool) -> Snapshot {
        guard let iterator else { return procScan() }
        do {
            return try iteratorScan(iterator, surroundings: surroundings)
        } catch {
            var snapshot = procScan()
            snapshot.report.iteratorFailure = "\(error)"
            return snapshot
        }
    }

    func iteratorScan(_ iterator: IteratorScan, surroundings: Bool = false) throws(BPFError) -> Snapshot {
        let started = MonotonicClock.nanos()
        // A process holds a handful of listeners: an array per process (the lowest fd of each
        // socket kept by a linear look) costs a tenth of a dictionary per process at 10,000.
        var byPID: [Int32: (first: IteratorListener, held: [HeldSocket])] = [:]
        var listening: [UInt64: ListeningSocket] = [:]
        // Owner lookups (a stat and a readlink per process) run on other cores while this
        // thread is busy in the kernel walking the rest of the fd tables.
        let owners = OwnerLookups(reader: reader, surroundings: surroundings)
        try iterator.listeners { batch in
            var newOwners: [(pid: Int32, cgroupSet: UInt64)] = []
            listening.reserveCapacity(listening.count + batch.count)
            for listener in batch {
                listening[listener.socket.inode] = listener.socket
                let held = HeldSocket(socket: listener.socket, fd: listener.fd)
                if byPID[listener.pid] != nil {
                    if let index = byPID[listener.pid]!.held.firstIndex(where: { $0.socket.inode == listener.socket.inode }) {
                        if byPID[listener.pid]!.held[index].fd > listener.fd { byPID[listener.pid]!.held[index] = held }
                    } else {
                        byPID[listener.pid]!.held.append(held)
                    }
                } else {
                    byPID[listener.pid] = (listener, [held])
                    newOwners.append((listener.pid, listener.cgroupSet))
                }
            }
            owners.start(newOwners)
        }
        // The records now, their owners' parts when the lookups are done: the grouping goes before
        // the tables are read (the scan's peak), and the tables are read while the lookups run.
        var records = byPID.values.map { first, held in
            let comm = KernelText.decode(first.comm)
            return ProcessRecord(
                identity: ProcessIdentity(pid: first.pid, startTime: first.startTicks), ppid: first.ppid,
                comm: comm.text, exe: nil, uid: 0, user: "", netns: first.socket.netns,
                ports: held.sorted(), isReady: false, commBytes: comm.invalidBytes)
        }
        // The iterator sees sockets through the tasks that hold them, so a listener whose owner
        // it cannot see (outside discotop's pid namespace, or held by the kernel) is missing. The
        // tables of the namespaces it found listeners in, and its own, hold those too: the same
        // sockets, and the same count of unowned ones, as the /proc scan reports.
        var representatives = Dictionary(byPID.values.map { ($0.first.socket.netns, $0.first.pid) }, uniquingKeysWith: min)
        if let own = NetworkNamespace.own(procRoot: procRoot) { representatives[own] = getpid() }
        byPID = [:]
        var report = ScanReport()
        report.unownedSockets = readListeningSockets(representatives: representatives, into: &listening, report: &report)
        let found = owners.finish()
        // In place: a second array of every record would be the peak again.
        for index in records.indices {
            guard let owner = found.owners[records[index].pid] else { continue }
            records[index].exe = owner.exe
            records[index].exeBytes = owner.exeBytes
            records[index].uid = owner.uid
            records[index].user = owner.user
            records[index].isReady = owner.isReady
        }
        // Gone before its owner could be read: no record.
        records.removeAll { found.owners[$0.pid] == nil }
        report.source = "bpf-iterator"
        report.durationNanos = MonotonicClock.nanos() - started
        var snapshot = Snapshot(processes: records, report: report, listening: listening)
        snapshot.surroundings = found.surroundings
        return snapshot
    }

    /// Rescans just `pids` (after a kernel event named them): their fds only, joined with the
    /// listening sockets already known. Returns the processes that hold at least one of them.
    /// Pids in `keepPortless` are returned even when they hold none (with no ports), so the
    /// matcher can pick them by inheritance or by a selector without `open_ports`.
    ///
    /// `hints` name sockets an event announced that `listening` may not hold yet; those found
    /// are returned as `learned`, for the caller's listening map.
    public func rescan(
        pids: [Int32], listening: [UInt64: ListeningSocket], keepPortless: Set<Int32> = [], hints: [Int32: [SocketHint]] = [:]
    ) -> (records: [ProcessRecord], learned: [ListeningSocket]) {
        let fds = walker.walk(pids: pids)
        var listening = listening
        var learned: [ListeningSocket] = []
        for (pid, pidHints) in hints {
            for socket in ForeignSocket.find(pidHints, pid: pid, references: fds.sockets, known: listening) {
                listening[socket.inode] = socket
                learned.append(socket)
            }
        }
        let owned = attribute(fds.sockets, to: listening)
        let holders = owned.byPID.compactMap { pid, held in
            record(pid: pid, ports: held.sorted(), netns: fds.netnsByPID[pid] ?? held.first?.socket.netns)
        }
        let portless = keepPortless.subtracting(owned.byPID.keys).compactMap { pid in
            record(pid: pid, ports: fds.deniedPIDs.contains(pid) ? nil : [], netns: fds.netnsByPID[pid])
        }
        return (holders + portless, learned)
    }

    /// Every process's parent and start time, for finding port-less processes to match: one
    /// kernel pass with the BPF iterator, else one /proc/PID/stat read per process.
    public func population() -> [Int32: (ppid: Int32, startTime: UInt64)] {
        if let iterator, let tasks = try? iterator.tasks() { return tasks }
        return procPopulation()
    }

    private func procPopulation() -> [Int32: (ppid: Int32, startTime: UInt64)] {
        let parts = Parallel.chunks(walker.listPIDs()) { chunk in
            chunk.compactMap { pid in reader.stat(of: pid).map { (pid, $0.ppid, $0.startTime) } }
        }
        var result: [Int32: (ppid: Int32, startTime: UInt64)] = [:]
        for part in parts { for (pid, ppid, start) in part { result[pid] = (ppid, start) } }
        return result
    }

    /// A record for a process that holds no listener (ports unknown when its fds are unreadable).
    public func portlessRecord(pid: Int32) -> ProcessRecord? {
        let ports: [HeldSocket]? = access("\(procRoot)/\(pid)/fd", R_OK | X_OK) == 0 ? [] : nil
        return record(pid: pid, ports: ports, netns: NetworkNamespace.of(pid: pid, procRoot: procRoot))
    }

    func procScan() -> Snapshot {
        let started = MonotonicClock.nanos()
        let fds = walker.walk()
        var report = ScanReport()
        let own = NetworkNamespace.own(procRoot: procRoot)
        var representatives: [UInt64: Int32] = [:]
        if let own { representatives[own] = getpid() }
        for (pid, netns) in fds.netnsByPID where representatives[netns] == nil {
            representatives[netns] = pid
        }
        var listening: [UInt64: ListeningSocket] = [:]
        readListeningSockets(representatives: representatives, into: &listening, report: &report)
        let owned = attribute(fds.sockets, to: listening)
        report.unownedSockets = listening.count - owned.inodes.count
        report.deniedPIDs = fds.deniedPIDs.sorted()
        report.deniedKernelThreads = fds.deniedKernelThreads

        // A process we could not look into is listed with unknown ports, but only while some
        // listening socket has no known owner: otherwise it provably holds none we miss.
        let denied = report.unownedSockets > 0 ? fds.deniedPIDs.filter { owned.byPID[$0] == nil } : []
        let wanted = owned.byPID.map { ($0.key, $0.value as [HeldSocket]?) } + denied.map { ($0, nil as [HeldSocket]?) }
        let netns = fds.netnsByPID
        let records = Parallel.chunks(wanted) { chunk in
            chunk.compactMap { pid, held in record(pid: pid, ports: held?.sorted(), netns: netns[pid]) }
        }.flatMap { $0 }
        report.durationNanos = MonotonicClock.nanos() - started
        return Snapshot(processes: records, report: report, listening: listening)
    }

    /// Reads each network namespace's table once, through a process in it (`representatives`),
    /// into `listening`, where what is already there (from the iterator) stays; sockets are
    /// keyed by their inode, which sockfs makes unique across namespaces. Returns how many
    /// sockets were added: merged in place, because a second map of every listener was the
    /// largest allocation of a scan at 10,000 processes.
    @discardableResult
    func readListeningSockets(representatives: [UInt64: Int32], into listening: inout [UInt64: ListeningSocket], report: inout ScanReport) -> Int {
        let own = NetworkNamespace.own(procRoot: procRoot)
        var sources = Set<SocketTableSource>()
        var added = 0
        for (netns, pid) in representatives.sorted(by: { $0.key < $1.key }) {
            // New ones wait in `fresh`: the map is looked up while the table is parsed, and
            // changing it then would copy all of it.
            var fresh: [ListeningSocket] = []
            let table = tables.read(netns: netns, via: pid, isOwn: netns == own, isKnown: { listening[$0] != nil }) { sockets in
                fresh.append(contentsOf: sockets)
            }
            for socket in fresh where listening[socket.inode] == nil {
                listening[socket.inode] = socket
                added += 1
            }
            sources.insert(table.source)
            if let reason = table.fallbackReason { report.fallbacks.append("netns \(netns): \(reason)") }
        }
        report.namespaces = Set(listening.values.map(\.netns)).count
        report.source = sources.contains(.procNet) ? SocketTableSource.procNet.rawValue : SocketTableSource.netlink.rawValue
        return added
    }

    struct Attribution {
        var byPID: [Int32: [HeldSocket]] = [:]
        var inodes: Set<UInt64> = []
    }

    /// Joins descriptors to listening sockets. A socket shared by several processes (pre-fork
    /// servers, inherited fds) is listed under each of them; twice in one process counts once.
    func attribute(_ references: [SocketReference], to listening: [UInt64: ListeningSocket]) -> Attribution {
        var result = Attribution()
        var seen: [Int32: [UInt64: Int]] = [:]
        for reference in references {
            guard let socket = listening[reference.inode] else { continue }
            result.inodes.insert(reference.inode)
            if let index = seen[reference.pid]?[reference.inode] {
                if reference.fd < result.byPID[reference.pid]![index].fd { result.byPID[reference.pid]![index].fd = reference.fd }
                continue
            }
            seen[reference.pid, default: [:]][reference.inode] = result.byPID[reference.pid, default: []].count
            result.byPID[reference.pid, default: []].append(HeldSocket(socket: socket, fd: reference.fd))
        }
        return result
    }

    func record(pid: Int32, ports: [HeldSocket]?, netns: UInt64?) -> ProcessRecord? {
        guard let stat = reader.stat(of: pid), let owner = reader.owner(of: pid) else { return nil }
        let comm = KernelText.decode(stat.comm)
        return ProcessRecord(
            identity: ProcessIdentity(pid: pid, startTime: stat.startTime), ppid: stat.ppid,
            comm: comm.text, exe: owner.exe, uid: owner.uid, user: owner.user, netns: netns, ports: ports,
            isReady: owner.isReady, commBytes: comm.invalidBytes, exeBytes: owner.exeBytes)
    }
}

public enum MonotonicClock {
    public static func nanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
