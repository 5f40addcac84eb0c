import Glibc

/// Everything the inspect view shows about one process, read once when it opens.
public struct ProcessDetails: Sendable {
    public var record: ProcessRecord
    public var cmdline: [String]
    /// The parent chain up to pid 1, nearest first: (pid, comm).
    public var parents: [(pid: Int32, comm: String)]
    /// Wall-clock nanoseconds the process started.
    public var startedAt: UInt64?
    /// The cgroup path, container and systemd unit; nil when /proc/PID/cgroup was unreadable.
    public var placement: CgroupPlacement?
    /// It runs in a network namespace other than discotop's: a container, or `unshare -n`,
    /// which leaves no trace in the cgroup path. nil when either namespace is unknown.
    public var otherNetworkNamespace: Bool?
    public var language: Language

    public var cgroup: String? { placement?.path }
    /// A container id found in the cgroup path (docker, containerd, CRI-O, podman), if any.
    public var containerID: String? { placement?.containerID }

    /// The inspect view's one line about it: `docker 0123456789ab`, `none (another network
    /// namespace)`, `none (host process)`.
    public var containerSummary: String {
        if let id = containerID {
            let runtime = placement?.runtime.flatMap { $0 == .unknown ? nil : $0.rawValue + " " } ?? ""
            return runtime + String(id.prefix(12))
        }
        if otherNetworkNamespace == true { return "none (another network namespace, as `unshare -n` makes)" }
        return otherNetworkNamespace == false ? "none (host process)" : "none"
    }
}

/// Reads `ProcessDetails`. Every read tolerates a process that vanished half-way.
public struct ProcessInspector: Sendable {
    public let procRoot: String
    let languages: LanguageDetector

    public init(procRoot: String = "/proc", languages: LanguageDetector = LanguageDetector()) {
        self.procRoot = procRoot
        self.languages = languages
    }

    public func details(of record: ProcessRecord) -> ProcessDetails {
        let pid = record.pid
        let cmdline = SystemFiles.read("\(procRoot)/\(pid)/cmdline").value.map(Self.splitCmdline) ?? []
        let own = NetworkNamespace.own(procRoot: procRoot)
        return ProcessDetails(
            record: record, cmdline: cmdline, parents: parents(of: record.ppid), startedAt: ProcessClock.startedAt(startTicks: record.identity.startTime),
            placement: CgroupPlacement.read(pid: pid, procRoot: procRoot), otherNetworkNamespace: record.netns.flatMap { netns in own.map { $0 != netns } },
            language: languages.language(of: pid, exe: record.exe))
    }

    static func splitCmdline(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast(bytes.last == 0 ? 1 : 0)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    private func parents(of ppid: Int32) -> [(pid: Int32, comm: String)] {
        var chain: [(pid: Int32, comm: String)] = []
        var next = ppid
        let reader = ProcessReader(procRoot: procRoot)
        while next > 0, chain.count < 32, let stat = reader.stat(of: next) {
            chain.append((next, String(decoding: stat.comm, as: UTF8.self)))
            next = stat.ppid
        }
        return chain
    }
}
