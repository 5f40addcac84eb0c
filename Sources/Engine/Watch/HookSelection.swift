/// Parses `--hook CONCERN=TIER` choices: a concern pinned to one tier, or `off`.
public enum HookSelection {
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Names users may give a concern: its own, and the event kinds it reports.
    static func concern(named name: Substring) -> HookConcern? {
        switch name {
        case "listen", "close": .state
        case "udp-close": .release
        default: HookConcern(rawValue: String(name))
        }
    }

    public static func parse(_ items: [String]) throws(Invalid) -> [HookConcern: HookTier?] {
        var result: [HookConcern: HookTier?] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let concerns = HookConcern.allCases.map(\.rawValue).joined(separator: ", ")
            guard parts.count == 2, let concern = concern(named: parts[0]) else {
                throw Invalid(description: "--hook takes CONCERN=TIER (e.g. bind=cgroup), CONCERN one of \(concerns), not \"\(item)\"")
            }
            let tiers = concern.tiers.map(\.rawValue)
            if parts[1] == "off" {
                result[concern] = .some(nil)
            } else if let tier = HookTier(rawValue: String(parts[1])), concern.tiers.contains(tier) {
                result[concern] = tier
            } else {
                throw Invalid(description: "--hook \(concern.rawValue) takes one of \((tiers + ["off"]).joined(separator: ", ")), not \"\(parts[1])\"")
            }
        }
        return result
    }
}
