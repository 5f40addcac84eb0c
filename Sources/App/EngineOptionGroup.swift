import ArgumentParser
import Engine

/// Options of the long-running modes (watch and the monitor).
struct EngineOptionGroup: ParsableArguments {
    @Flag(name: .customLong("no-ebpf"), help: "Do not load eBPF programs: poll /proc and netlink instead.")
    var noEBPF = false

    @Flag(name: .customLong("proc-net"), help: "Read socket tables from /proc/net instead of netlink sock_diag.")
    var procNet = false

    @Option(name: .customLong("poll-interval"),
            help: "Seconds between full scans without eBPF (else BEYLA_DISCOVERY_POLL_INTERVAL, discovery.poll_interval, 5).")
    var pollInterval: Double?

    @Option(name: .customLong("sweep-interval"), help: "Seconds between consistency sweeps with eBPF.")
    var sweepInterval: Double = 30

    @Option(name: .customLong("hook"), help: ArgumentHelp(
        "Pin a concern to one hook tier, or off (repeatable): bind=fexit|kprobe|tracepoint|cgroup, state=tp_btf|raw_tp (listen and close), release=cgroup (UDP close), fork|exec|exit=tp_btf|raw_tp. `discotop hooks` shows what this kernel offers.",
        valueName: "concern=tier"))
    var hooks: [String] = []

    @Option(name: .customLong("bind-hook"), help: "Same as --hook bind=TIER (auto picks the best).")
    var bindHook: String = "auto"

    /// The pinned tiers of --hook and --bind-hook.
    var pinnedHooks: [HookConcern: HookTier?] {
        get throws { try HookSelection.parse((bindHook == "auto" ? [] : ["bind=\(bindHook)"]) + hooks) }
    }

    mutating func validate() throws {
        if let pollInterval, !DurationLimits.pollInterval.contains(pollInterval) {
            throw usage("\(DurationLimits.OutOfRange(source: "--poll-interval", seconds: pollInterval, range: DurationLimits.pollInterval))")
        }
        guard DurationLimits.sweepInterval.contains(sweepInterval) else {
            throw usage("\(DurationLimits.OutOfRange(source: "--sweep-interval", seconds: sweepInterval, range: DurationLimits.sweepInterval))")
        }
        do {
            _ = try pinnedHooks
        } catch {
            throw usage("\(error)")
        }
    }

    /// Engine options with the criteria options resolved (and their warnings printed once).
    func options(criteria: CriteriaOptions) throws -> EngineOptions {
        let resolved = try criteria.resolved(pollInterval: pollInterval, reportWarnings: true)
        return EngineOptions(
            criteria: resolved.criteria, useEBPF: !noEBPF && !procNet, hooks: try pinnedHooks,
            pollInterval: resolved.pollIntervalSeconds, sweepInterval: sweepInterval, forceProcNet: procNet)
    }

    private func usage(_ message: String) -> ExitCode {
        Diagnostics.error(message)
        return ExitCode(2)
    }
}
