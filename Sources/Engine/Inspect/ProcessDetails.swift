import Glibc

/// Everything the inspect view shows about one process, read once when it opens.
public struct ProcessDetails: Sendable {
    public var record: ProcessRecord
    public var cmdline: [String]
    /// The parent chain up to pid 1, nearest first: (pid, comm).
    public var parents: [(pid: Int32, comm: String)]
    /// Wall-clock nanoseconds the process started.
    public var startedAt: UInt64?
    public var cgroup: String?
    /// A container id found in the cgroup path (docker, containerd, cri-o, podman), if any.
    public var containerID: String?
    public var language: Language
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
        let cgroup = SystemFiles.readText("\(procRoot)/\(pid)/cgroup").map(Self.cgroupPath)
        return ProcessDetails(
            record: record, cmdline: cmdline, parents: parents(of: record.ppid), startedAt: ProcessClock.startedAt(startTicks: record.identity.startTime),
            cgroup: cgroup, containerID: cgroup.flatMap(Self.containerID), language: languages.language(of: pid, exe: record.exe))
    }

    static func splitCmdline(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast(bytes.last == 0 ? 1 : 0)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// The unified-hierarchy path (`0::/...`), or the first controller's path on cgroup v1.
    static func cgroupPath(_ text: String) -> String {
        let lines = text.split(separator: "\n")
        let line = lines.first { $0.hasPrefix("0::") } ?? lines.first ?? ""
        return line.split(separator: ":", maxSplits: 2).last.map(String.init) ?? ""
    }

    /// A 64-hex-digit id in the cgroup path: `docker-<id>.scope`, `cri-containerd-<id>`, `/docker/<id>`.
    static func containerID(_ path: String) -> String? {
        for part in path.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == ":" }) {
            let id = part.hasSuffix(".scope") ? part.dropLast(6) : part
            if id.count == 64, id.allSatisfy(\.isHexDigit) { return String(id) }
        }
        return nil
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
