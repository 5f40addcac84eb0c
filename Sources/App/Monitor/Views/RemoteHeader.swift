import Engine

/// The header of a remote view: which nodes, and whose criteria the panes show.
enum RemoteHeader {
    static func segments(_ nodes: [RemoteNode], criteria: Criteria) -> [Header.Segment] {
        var segments: [Header.Segment] = []
        if nodes.count == 1 {
            segments.append(Header.Segment(text: "node \(SafeText.sanitize(nodes[0].name)) (\(nodes[0].address))"))
        } else {
            segments.append(Header.Segment(text: "\(nodes.count) nodes: " + nodes.map { SafeText.sanitize($0.name) }.joined(separator: ", ")))
        }
        if criteria.isEmpty {
            let theirs = Set(nodes.map(\.criteria))
            segments.append(Header.Segment(text: theirs.count == 1 ? "agent criteria \(SafeText.sanitize(nodes[0].criteria))" : "agents' own criteria"))
        } else {
            let whose = nodes.allSatisfy(\.judgesCriteria) ? "on the agent\(nodes.count == 1 ? "" : "s")" : "here"
            segments.append(Header.Segment(text: "ports \(criteria.topLevel.openPorts?.description ?? "any") (\(whose))"))
        }
        for node in nodes {
            if let failure = node.failure { segments.append(Header.Segment(text: "\(SafeText.sanitize(node.name)): \(SafeText.sanitize(failure))")) }
        }
        return segments
    }

    /// The segments that fit in `width`, joined.
}
