import Engine

/// The fields of an `info` line beyond `code` and `message`, so scripts need not parse prose.
enum NoticeJSON {
    static func writeFields(_ notice: EngineNotice, to o: inout JSONWriter) {
        switch notice {
        case .mode(let mode, let source):
            switch mode {
            case .ebpf(let hooks, let sweep):
                o.key("mode"); o.string("ebpf")
                o.key("hooks")
                o.object { h in
                    for concern in HookConcern.allCases {
                        h.key(text: concern.rawValue)
                        if let tier = hooks[concern] { h.string(tier.rawValue) } else { h.null() }
                    }
                }
                o.key("sweep_seconds"); o.number(sweep)
            case .poll(let interval, let reason):
                o.key("mode"); o.string("poll")
                o.key("poll_seconds"); o.number(interval)
                o.key("reason"); o.string(reason.description)
            }
            o.key("full_scans"); o.string(source.rawValue)
        case .hookPassedOver(let attempt):
            o.key("concern"); o.string(attempt.concern.rawValue)
            o.key("tier"); o.string(attempt.tier.rawValue)
            o.key("reason"); o.string(attempt.reason.description)
        case .hookLimit(let limit):
            o.key("limit"); o.string(limit.code)
        case .capability(let limit):
            o.key("limit"); o.string(limit.code)
        case .lostEvents(let count):
            o.key("count"); o.number(count)
        case .eventsDropped(let count):
            o.key("count"); o.number(count)
        case .scanFallback(let reason):
            o.key("reason"); o.string(reason)
        }
    }
}
