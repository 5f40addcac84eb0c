/// What the user asks for. Every attribute given must hold (AND), as within one Beyla selector.
public struct Criteria: Sendable, Hashable, CustomStringConvertible {
    public var openPorts: PortRanges?
    public var exePath: ExePathPattern?

    public init(openPorts: PortRanges? = nil, exePath: ExePathPattern? = nil) {
        self.openPorts = openPorts
        self.exePath = exePath
    }

    public var isEmpty: Bool { openPorts == nil && exePath == nil }

    /// e.g. `open_ports=8080,8000-8999 exe_path=~python`, or `none`.
    public var description: String {
        var parts: [String] = []
        if let openPorts { parts.append("open_ports=\(openPorts)") }
        if let exePath { parts.append("exe_path=~\(exePath)") }
        return parts.isEmpty ? "none" : parts.joined(separator: " ")
    }
}
