/// Whether a process meets the criteria, and why.
public struct MatchVerdict: Sendable, Hashable {
    public var matched: Bool
    /// The criteria that held, e.g. `open_ports 8080`, `exe_path /usr/bin/python3`.
    public var reasons: [String]
    /// The first criterion that failed, when one did.
    public var failure: String?

    public static let noCriteria = MatchVerdict(matched: false, reasons: [], failure: "no criteria given")
}

/// Applies criteria to process records. discotop never matches itself (by pid), as Beyla
/// excludes its own executable.
public struct Matcher: Sendable {
    public var criteria: Criteria
    public let selfPID: Int32

    public init(criteria: Criteria, selfPID: Int32) {
        self.criteria = criteria
        self.selfPID = selfPID
    }

    public func verdict(for process: ProcessRecord) -> MatchVerdict {
        guard !criteria.isEmpty else { return .noCriteria }
        if process.pid == selfPID { return MatchVerdict(matched: false, reasons: [], failure: "discotop itself") }
        var reasons: [String] = []
        if let ranges = criteria.openPorts {
            guard let ports = process.ports else {
                return MatchVerdict(matched: false, reasons: reasons, failure: "open_ports: ports unknown (permission denied)")
            }
            let hits = Set(ports.map(\.socket.port).filter(ranges.contains)).sorted()
            guard !hits.isEmpty else {
                return MatchVerdict(matched: false, reasons: reasons, failure: "open_ports: no listening port in \(ranges)")
            }
            reasons.append("open_ports \(hits.map(String.init).joined(separator: ","))")
        }
        if let pattern = criteria.exePath {
            guard let exe = process.exe else {
                return MatchVerdict(matched: false, reasons: reasons, failure: "exe_path: executable unknown (permission denied)")
            }
            guard pattern.matches(exe) else {
                return MatchVerdict(matched: false, reasons: reasons, failure: "exe_path: \(exe) does not match \(pattern)")
            }
            reasons.append("exe_path \(exe)")
        }
        return MatchVerdict(matched: true, reasons: reasons, failure: nil)
    }
}
