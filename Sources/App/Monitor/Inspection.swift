import Engine
import Glibc

/// The inspect view's content for one process: labelled lines, built once when it opens.
struct Inspection {
    struct Line {
        var label: String
        var value: String
        var style: CellStyle = .normal
    }

    var pid: Int32
    var title: String
    var lines: [Line]

    static func of(_ record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria, now: UInt64 = WallClock.now()) -> Inspection {
        let details = ProcessInspector().details(of: record)
        var lines: [Line] = [
            Line(label: "exe", value: record.exe ?? "? (not readable: run as root)"),
            Line(label: "cmdline", value: details.cmdline.isEmpty ? "?" : details.cmdline.joined(separator: " ")),
            Line(label: "user", value: "\(record.user) (uid \(record.uid))"),
            Line(label: "parents", value: details.parents.isEmpty ? "-" : details.parents.map { "\($0.pid) \($0.comm)" }.joined(separator: " < ")),
        ]
        if let started = details.startedAt {
            lines.append(Line(label: "started", value: "\(WallClock.rfc3339(started))  (\(Age.text(nanos: now &- started)) ago)"))
        }
        lines.append(Line(label: "cgroup", value: details.cgroup ?? "?"))
        lines.append(Line(label: "container", value: details.containerID.map { String($0.prefix(12)) } ?? "none (host process)"))
        lines.append(Line(label: "netns", value: record.netns.map(String.init) ?? "?"))
        lines.append(Line(label: "language", value: details.language.description))
        let matched = verdict?.matched == true
        lines.append(Line(
            label: "matched", value: verdict.map(Self.matchText) ?? "no: not evaluated",
            style: matched ? .match : .normal))
        if let name = verdict?.serviceName { lines.append(Line(label: "service", value: [verdict?.serviceNamespace, name].compactMap { $0 }.joined(separator: "/"))) }
        // Why each selector did or did not hold: the first failing field, as Beyla would test it.
        // The engine judged them; the view only shows its outcomes.
        let outcomes = verdict?.outcomes ?? []
        if outcomes.allSatisfy({ $0.role == .exclude }) { lines.append(Line(label: "selectors", value: "none given")) }
        for outcome in outcomes where outcome.role == .instrument || outcome.holds {
            let verb = outcome.role == .exclude ? "excludes" : outcome.holds ? "holds" : "fails"
            lines.append(Line(
                label: outcome.role == .exclude ? "exclusion" : "selector", value: "\(outcome.label) \(verb): \(outcome.detail)",
                style: outcome.holds ? (outcome.role == .exclude ? .error : .match) : .normal))
        }
        lines.append(Line(label: "sockets", value: record.ports.map { "\($0.count)" } ?? "unknown (permission denied)"))
        let matchedPorts = verdict?.matchedPorts ?? []
        for held in record.ports ?? [] {
            let s = held.socket
            lines.append(Line(
                label: "", value: "\(s.proto.rawValue.padding(to: 4)) \(s.family.rawValue.padding(to: 5)) \(s.address.padding(to: 26)) "
                    + "port \(String(s.port).padding(to: 6)) fd \(String(held.fd).padding(to: 5)) inode \(s.inode)",
                style: matchedPorts.contains(s.port) ? .match : .normal))
        }
        return Inspection(pid: record.pid, title: "Inspect pid \(record.pid) (\(record.comm))", lines: lines)
    }

    static func matchText(_ verdict: MatchVerdict) -> String {
        switch verdict.state {
        case .matched, .inherited: "yes, " + verdict.summary
        case .pending: "not yet: \(verdict.summary); \(verdict.failure ?? "")"
        case .excluded, .unmatched: "no: " + verdict.summary
        }
    }
}

/// `3d 4h`, `12m 5s`, `40s`: an age as people read it.
enum Age {
    static func text(nanos: UInt64) -> String {
        let seconds = nanos / 1_000_000_000
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m \(seconds % 60)s"
        case ..<86400: return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
        default: return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        }
    }
}
