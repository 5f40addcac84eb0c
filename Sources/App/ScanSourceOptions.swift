import ArgumentParser
import Engine
import Glibc

/// Where full scans read from: the BPF iterator when it loads, else /proc + netlink.
struct ScanSourceOptions: ParsableArguments {
    @Flag(name: .customLong("no-ebpf"), help: "Do not load eBPF programs: scan /proc and netlink only.")
    var noEBPF = false

    @Flag(name: .customLong("proc-net"), help: "Read socket tables from /proc/net instead of netlink sock_diag (implies --no-ebpf).")
    var procNet = false

    /// The iterator, or nil with the reason it failed (no reason when it was not asked for).
    /// `tasks`: with the process lister.
    func iterator(tasks: Bool) -> (IteratorScan?, String?) {
        if noEBPF || procNet { return (nil, nil) }
        do {
            return (try IteratorScan(tasks: tasks), nil)
        } catch {
            return (nil, "\(error)")
        }
    }

    /// A scanner for one-shot use. A failed iterator is only worth a word when we could have
    /// loaded it: without the capabilities, the permission note already says what is missing.
    func scanner(criteria: Criteria) -> Scanner {
        let (iterator, reason) = iterator(tasks: !criteria.isEmpty)
        if iterator == nil, let reason, Capabilities.current.canLoadTracing {
            Diagnostics.note("eBPF iterator unavailable (\(reason)); scanning /proc instead")
        }
        return Scanner(forceProcNet: procNet, iterator: iterator)
    }
}
