import ArgumentParser
import Engine

/// `discotop hooks`: what this kernel offers for each concern, which hook is live, and why the
/// better ones were passed over.
struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Probe this kernel's eBPF hooks: which tier serves each event kind, and why better ones cannot.",
        discussion: """
            Tiers per concern, best first: bind fexit, kprobe, cgroup (post_bind: successful binds \
            only), tracepoint (needs tracefs; slows every syscall); state (listen and listener close), fork, exec and exit \
            tp_btf, raw_tp; release (UDP close) cgroup. Exit status 1 when no hook loads.
            """
    )

    @Flag(help: "Print one JSON document.")
    var json = false

    func run() throws {
        let survey = HookSurvey.run()
        let live = try? survey.loaded.get()
        try OutputStream.standardOutput.write(bytes: json ? Self.json(survey, live: live) : Array(Self.text(survey, live: live).utf8))
        if live == nil { throw ExitCode(1) }
    }

    static func status(_ entry: HookSurvey.Entry, survey: HookSurvey, live: WatcherHooks?) -> String {
        if live?[entry.concern] == entry.tier { return "live" }
        if let reason = entry.unavailable { return "no: \(reason)" }
        if let refusal = survey.refused.first(where: { $0.concern == entry.concern && $0.tier == entry.tier }) {
            return "no: \(refusal.reason)"
        }
        return "available"
    }

    static func text(_ survey: HookSurvey, live: WatcherHooks?) -> String {
        var lines = ["CONCERN  EVENTS        TIER        STATUS"]
        var previous: HookConcern?
        for entry in survey.entries {
            let head = entry.concern == previous ? "" : entry.concern.rawValue
            let events = entry.concern == previous ? "" : entry.concern.eventNames
            previous = entry.concern
            lines.append("\(head.padding(to: 8)) \(events.padding(to: 13)) \(entry.tier.rawValue.padding(to: 11)) \(status(entry, survey: survey, live: live))")
        }
        switch survey.loaded {
        case .success(let hooks):
            lines.append("")
            lines.append("live: \(hooks)")
            for limit in hooks.limits { lines.append("limit: \(limit)") }
        case .failure(let error):
            lines.append("")
            lines.append("no eBPF: \(error); discotop polls instead")
        }
        for limit in Capabilities.current.limits { lines.append("capability: \(limit)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ survey: HookSurvey, live: WatcherHooks?) -> [UInt8] {
        var json = JSONWriter()
        json.object { o in
            o.key("concerns")
            o.array { a in
                for concern in HookConcern.allCases {
                    a.object { c in
                        c.key("concern"); c.string(concern.rawValue)
                        c.key("events"); c.string(concern.eventNames)
                        c.key("live"); if let tier = live?[concern] { c.string(tier.rawValue) } else { c.null() }
                        c.key("tiers")
                        c.array { t in
                            for entry in survey.entries where entry.concern == concern {
                                t.object { e in
                                    e.key("tier"); e.string(entry.tier.rawValue)
                                    e.key("available"); e.bool(survey.offers(concern, entry.tier))
                                    e.key("status"); e.string(status(entry, survey: survey, live: live))
                                }
                            }
                        }
                    }
                }
            }
            o.key("limits"); o.array { a in for limit in live?.limits ?? [] { a.string(limit.description) } }
            o.key("error"); if case .failure(let error) = survey.loaded { o.string(error.description) } else { o.null() }
        }
        return json.bytes + [UInt8(ascii: "\n")]
    }
}
