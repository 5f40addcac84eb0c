import Yams

extension NodeReader {
    /// Fields that need Kubernetes or Docker metadata: accepted, reported as not evaluated.
    static let metadataKeys: Set<String> = [
        "container_name", "k8s_namespace", "k8s_pod_name", "k8s_deployment_name", "k8s_replicaset_name",
        "k8s_daemonset_name", "k8s_statefulset_name", "k8s_job_name", "k8s_cronjob_name", "k8s_owner_name",
        "k8s_container_name", "k8s_pod_labels", "k8s_pod_annotations",
    ]
    /// Per-service instrumentation settings: not about choosing processes.
    static let serviceSettingKeys: Set<String> = ["exports", "sampler", "routes", "metrics"]
    static let criterionKeys = [
        "name", "namespace", "open_ports", "exe_path", "exe_path_regexp", "cmd_args", "languages", "target_pids", "containers_only",
    ]

    /// A selector section: a list of mappings. An entry with no criterion is an error naming its index.
    func selectors(_ node: Node, section: String, syntax: Syntax, warnings: inout [String]) throws(ConfigError) -> [Selector]? {
        if node.isNull { return nil }
        guard let sequence = node.sequence else {
            throw error(node, "discovery.\(section) must be a list of selectors (each item starts with \"- \")")
        }
        var selectors: [Selector] = []
        for (index, item) in sequence.enumerated() {
            selectors.append(try selector(item, section: section, index: index, syntax: syntax, warnings: &warnings))
        }
        return selectors
    }

    private func selector(_ node: Node, section: String, index: Int, syntax: Syntax, warnings: inout [String]) throws(ConfigError) -> Selector {
        let place = "discovery.\(section)[\(index)]"
        guard let mapping = node.mapping else { throw error(node, "\(place) must be a mapping of selector fields, e.g. \"open_ports: 8080\"") }
        var selector = Selector(origin: .file(section: section, index: index, line: line(node)))
        for (keyNode, value) in try pairs(mapping) {
            let key = keyNode.string ?? ""
            switch key {
            case "name": selector.name = try text(value, key: key)
            case "namespace": selector.namespace = try text(value, key: key)
            case "open_ports": selector.openPorts = try ports(value, key: "\(place) open_ports")
            case "exe_path": selector.exePath = try pattern(value, key: key, syntax: syntax, place: place, warnings: &warnings)
            case "exe_path_regexp": selector.exePathRegexp = try regex(value, key: "\(place) exe_path_regexp")
            case "cmd_args": selector.cmdArgs = try pattern(value, key: key, syntax: syntax, place: place, warnings: &warnings)
            case "languages": selector.languages = try pattern(value, key: key, syntax: syntax, place: place, warnings: &warnings)
            case "target_pids": selector.targetPIDs = try pids(value, key: "\(place) target_pids")
            case "containers_only": selector.containersOnly = try bool(value, key: "\(place) containers_only")
            case _ where Self.metadataKeys.contains(key):
                selector.unevaluated.append(Selector.Unevaluated(key: key, value: attributeText(value)))
            case _ where Self.serviceSettingKeys.contains(key):
                continue
            default:
                let known = Self.criterionKeys + Self.metadataKeys + Self.serviceSettingKeys
                throw error(keyNode, "unknown key \"\(key)\" in \(place)\(Suggestion.didYouMean(key, among: known))")
            }
        }
        guard selector.hasCriterion else {
            throw error(node, "\(place) has no criterion: give at least one of open_ports, exe_path, exe_path_regexp, cmd_args, languages, target_pids, containers_only or a Kubernetes attribute (entry [\(index)])")
        }
        return selector
    }
}
