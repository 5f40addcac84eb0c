/// The command line, the environment and a configuration file, combined in Beyla's
/// precedence into one `Criteria`:
/// - `target_pids` (top-level, or `BEYLA_TARGET_PID`) alone when set: those processes and
///   no other selector;
/// - else selectors: the file's `instrument`; its deprecated `services` only when neither
///   `instrument` nor `exclude_instrument` is set;
/// - the top-level selector, tried last: ports are `-p` if given, else the file's `open_port`
///   plus the environment's (they add up, as in Beyla); the executable regex is `--exe-path`,
///   else the environment's, else the file's `executable_name` (OBI: `executable_path`); its
///   service is named by the environment's `service_name`, else the file's;
/// - durations: command line, then environment, then file, then Beyla's defaults.
public struct CriteriaSources: Sendable {
    public var file: ConfigFile?
    public var environment = ConfigEnvironment()
    public var commandLinePorts: PortRanges?
    public var commandLineExe: RegexPattern?
    public var commandLinePollInterval: Double?

    public init() {}

    public struct Resolved: Sendable {
        public var criteria: Criteria
        public var pollIntervalSeconds: Double
        /// Which file section the selectors came from (`instrument`, `services`), if any.
        public var selectorSection: String?
        public var surveySelectors: Int
        public var warnings: [String]
    }

    public func resolve() -> Resolved {
        var criteria = Criteria()
        var section: String?
        var warnings = file?.warnings ?? []
        if let file {
            let useServices = file.instrument == nil && file.excludeInstrument == nil && file.services != nil
            if useServices {
                section = "services"
                criteria.selectors = file.services ?? []
                criteria.exclusions = file.excludeServices ?? []
                criteria.defaultExclusions = file.defaultExcludeServices ?? Criteria.beylaDefaultExclusions
            } else {
                section = file.instrument != nil ? "instrument" : nil
                criteria.selectors = file.instrument ?? []
                criteria.exclusions = file.excludeInstrument ?? []
                criteria.defaultExclusions = file.defaultExcludeInstrument ?? Criteria.beylaDefaultExclusions
                if file.services != nil {
                    warnings.append("\(file.name): discovery.services is ignored because instrument or exclude_instrument is set (Beyla's precedence)")
                }
            }
            criteria.excludedSystemPaths = file.excludedSystemPaths ?? Criteria.beylaSystemPaths
        }

        var sources: [String] = []
        if let commandLinePorts {
            criteria.topLevel.openPorts = commandLinePorts
            sources.append("command line")
        } else {
            let ranges = (file?.openPort?.ranges ?? []) + (environment.openPorts?.ranges ?? [])
            criteria.topLevel.openPorts = ranges.isEmpty ? nil : PortRanges(ranges)
            if file?.openPort != nil { sources.append("open_port") }
            if environment.openPorts != nil { sources.append("environment") }
        }
        if let exe = commandLineExe ?? environment.executableName ?? file?.executableName {
            criteria.topLevel.exePathRegexp = exe
            sources.append(commandLineExe != nil ? "command line" : environment.executableName != nil ? "environment" : "executable_name")
        }
        if let glob = environment.autoTargetExe {
            criteria.topLevel.exePath = .glob(glob)
            sources.append("environment")
        }
        if let glob = environment.autoTargetLanguage {
            criteria.topLevel.languages = .glob(glob)
            sources.append("environment")
        }
        criteria.topLevel.name = environment.serviceName ?? file?.serviceName
        criteria.topLevel.namespace = environment.serviceNamespace ?? file?.serviceNamespace
        criteria.otelInstrumented = environment.otelInstrumented.over(file?.otelInstrumented ?? OTelInstrumentedSetting())
        var unique: [String] = []
        for source in sources where !unique.contains(source) { unique.append(source) }
        criteria.topLevel.origin = .topLevel(sources: unique.isEmpty ? "command line" : unique.joined(separator: "+"))
        if let pids = environment.targetPIDs ?? file?.targetPIDs, !pids.isEmpty {
            var pinned = Selector(origin: .topLevel(sources: environment.targetPIDs != nil ? "environment" : "target_pids"))
            pinned.targetPIDs = pids
            criteria.selectors = []
            criteria.topLevel = pinned
            section = nil
            warnings.append("target_pids is set: only those processes are considered, as in Beyla; other selectors are not used")
        }
        criteria.minProcessAgeSeconds = environment.minProcessAgeSeconds ?? file?.minProcessAgeSeconds ?? 5
        let poll = commandLinePollInterval ?? environment.pollIntervalSeconds ?? file?.pollIntervalSeconds ?? 5
        return Resolved(
            criteria: criteria, pollIntervalSeconds: poll, selectorSection: section, surveySelectors: file?.survey?.count ?? 0,
            warnings: warnings)
    }
}
