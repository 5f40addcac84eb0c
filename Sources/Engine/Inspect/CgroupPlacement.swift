/// Where a process sits in the cgroup tree, read from `/proc/PID/cgroup`: the path, the
/// container it runs in (if a runtime named one in the path) and its systemd unit.
///
/// Runtimes name containers in the path and nowhere else that /proc shows, each in its own way:
/// - docker: `/system.slice/docker-<id>.scope` (systemd driver), `/docker/<id>` (cgroupfs);
/// - containerd: `cri-containerd-<id>.scope`, `/kubepods/.../<id>`;
/// - CRI-O: `crio-<id>.scope` (and `crio-conmon-<id>.scope` for its monitor);
/// - podman: `libpod-<id>.scope`, `/machine.slice/libpod-conmon-<id>.scope`, `/libpod_parent/libpod-<id>`.
/// Every one of them uses a 64-hex-digit id.
public struct CgroupPlacement: Sendable, Hashable {
    public enum Runtime: String, Sendable, Hashable {
        case docker, containerd, crio = "cri-o", podman
        /// A 64-hex-digit id under a parent that names no runtime (`/kubepods/burstable/pod…/<id>`).
        case unknown
    }

    /// The unified hierarchy's path (`0::/…`), or on cgroup v1 the first named hierarchy's.
    public var path: String
    public var containerID: String?
    public var runtime: Runtime?
    /// The innermost systemd unit in the path: `nginx.service`, `docker-<id>.scope`,
    /// `user@1000.service`; slices are not units a process runs in, so they are skipped.
    public var systemdUnit: String?

    public init(path: String, containerID: String? = nil, runtime: Runtime? = nil, systemdUnit: String? = nil) {
        self.path = path
        self.containerID = containerID
        self.runtime = runtime
        self.systemdUnit = systemdUnit
    }

    /// Reads `/proc/PID/cgroup`; nil when it is gone or unreadable.
    public static func read(pid: Int32, procRoot: String = "/proc") -> CgroupPlacement? {
        SystemFiles.readText("\(procRoot)/\(pid)/cgroup").flatMap(parse)
    }

    /// Parses the text of `/proc/PID/cgroup`; nil when it names no hierarchy.
    public static func parse(_ text: String) -> CgroupPlacement? {
        let entries = text.split(separator: "\n").compactMap { line -> (id: Substring, controllers: Substring, path: String)? in
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            return fields.count == 3 ? (fields[0], fields[1], String(fields[2])) : nil
        }
        // v2 first; on v1 (or hybrid) the `name=systemd` hierarchy carries the unit, and any
        // controller's path carries the container.
        guard let chosen = entries.first(where: { $0.id == "0" && $0.controllers.isEmpty })
            ?? entries.first(where: { $0.controllers == "name=systemd" }) ?? entries.first
        else { return nil }
        var placement = CgroupPlacement(path: chosen.path)
        for entry in [chosen] + entries {
            if let (runtime, id) = container(in: entry.path) {
                placement.runtime = runtime
                placement.containerID = id
                break
            }
        }
        placement.systemdUnit = unit(in: chosen.path)
        return placement
    }

    /// The runtime and id of the innermost path component that holds a container id.
    static func container(in path: String) -> (Runtime, String)? {
        let components = path.split(separator: "/")
        for (index, component) in components.enumerated().reversed() {
            let name = component.hasSuffix(".scope") ? component.dropLast(6) : component
            let id = name.lastIndex(of: "-").map { name[name.index(after: $0)...] } ?? name
            guard id.count == 64, id.allSatisfy(\.isHexDigit) else { continue }
            let prefix = name[..<id.startIndex]
            let parent = index > 0 ? components[index - 1] : ""
            return (runtime(prefix: prefix, parent: parent, path: path), String(id))
        }
        return nil
    }

    private static func runtime(prefix: Substring, parent: Substring, path: String) -> Runtime {
        switch prefix {
        case "docker-": return .docker
        case "cri-containerd-": return .containerd
        case "crio-", "crio-conmon-": return .crio
        case "libpod-", "libpod-conmon-": return .podman
        default:
            if parent == "docker" { return .docker }
            if parent.hasPrefix("libpod") { return .podman }
            if path.contains("containerd") { return .containerd }
            return .unknown
        }
    }

    /// The innermost `.service` or `.scope` component.
    static func unit(in path: String) -> String? {
        path.split(separator: "/").last { $0.hasSuffix(".service") || $0.hasSuffix(".scope") }.map(String.init)
    }
}
