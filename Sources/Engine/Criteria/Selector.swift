/// One Beyla discovery selector: every criterion it gives must hold (AND). `name` and
/// `namespace` are the service's identity, not criteria.
public struct Selector: Sendable, Hashable, CustomStringConvertible {
    /// Where the selector came from, for labels and messages.
    public enum Origin: Sendable, Hashable {
        /// `discovery.<section>[index]` of a file, with its line.
        case file(section: String, index: Int, line: Int)
        /// Top-level `open_port`/`executable_name`, the environment and the command line:
        /// Beyla appends these as the lowest-priority selector. `sources` names which set it.
        case topLevel(sources: String)
        /// Beyla's built-in `default_exclude_instrument` entry `index`.
        case builtInDefault(index: Int)
    }

    /// An attribute that needs Kubernetes or container metadata, which a plain host lacks.
    public struct Unevaluated: Sendable, Hashable {
        public var key: String
        public var value: String
    }

    public var origin: Origin
    public var name: String?
    public var namespace: String?
    public var openPorts: PortRanges?
    public var exePath: TextPattern?
    public var exePathRegexp: RegexPattern?
    public var cmdArgs: TextPattern?
    public var languages: TextPattern?
    public var targetPIDs: [Int32] = []
    public var containersOnly = false
    public var unevaluated: [Unevaluated] = []

    public init(origin: Origin, openPorts: PortRanges? = nil, exePath: TextPattern? = nil) {
        self.origin = origin
        self.openPorts = openPorts
        self.exePath = exePath
    }

    /// True when the selector tests something; one that only names a service is an error.
    public var hasCriterion: Bool {
        openPorts != nil || exePath != nil || exePathRegexp != nil || cmdArgs != nil || languages != nil
            || !targetPIDs.isEmpty || containersOnly || !unevaluated.isEmpty
    }

    /// True when the selector can hold for a process that listens on nothing.
    public var acceptsPortless: Bool { openPorts == nil }

    /// How the selector is named in outputs: its `name` when it has one, else where it is from.
    public var label: String {
        if let name { return name }
        switch origin {
        case .file(let section, let index, _): return "\(section)[\(index)]"
        case .topLevel(let sources): return sources
        case .builtInDefault(let index): return "default_exclude[\(index)]"
        }
    }

    /// e.g. `open_ports=8080 exe_path=glob *java*`.
    public var description: String {
        var parts: [String] = []
        if let openPorts { parts.append("open_ports=\(openPorts)") }
        if let exePath { parts.append("exe_path=\(exePath)") }
        if let exePathRegexp { parts.append("exe_path_regexp=\(exePathRegexp.source)") }
        if let cmdArgs { parts.append("cmd_args=\(cmdArgs)") }
        if let languages { parts.append("languages=\(languages)") }
        if !targetPIDs.isEmpty { parts.append("target_pids=\(targetPIDs.map(String.init).joined(separator: ","))") }
        if containersOnly { parts.append("containers_only=true") }
        for attribute in unevaluated { parts.append("\(attribute.key)=\(attribute.value)") }
        return parts.isEmpty ? "none" : parts.joined(separator: " ")
    }
}
