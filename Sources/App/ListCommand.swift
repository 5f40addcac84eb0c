import ArgumentParser
import Engine
import Glibc
import NIOCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print every process that holds a listening socket (and the port-less ones the criteria pick), once.",
        discussion: """
            Counts TCP sockets in LISTEN and bound, unconnected UDP sockets, IPv4 and IPv6, in every network namespace. \
            With criteria (-p, --exe-path, --config) only the processes they pick are printed, and the exit status is 1 \
            when there are none, as grep's; --all prints every process with a MATCH column.
            """
    )

    @OptionGroup var criteria: CriteriaOptions

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Flag(help: "With criteria, list every process and mark the ones that match; without it only those are listed.")
    var all = false

    @OptionGroup var source: ScanSourceOptions

    @OptionGroup var connect: ConnectOptions

    func run() throws {
        if connect.isRemote { return try listRemote() }
        let criteria = try criteria.resolved(pollInterval: nil, reportWarnings: true).criteria
        let scanner = source.scanner(criteria: criteria)
        let scannedAt = WallClock.now()
        // The JSON document carries each process's cgroup and exporter evidence: read during
        // the kernel walk, on the core it leaves idle.
        var snapshot = scanner.fullScan(surroundings: json)
        // The listening map is what later rescans join descriptors against; `list` never
        // rescans, and at 10,000 processes the map is 3.7 MB of its peak memory.
        snapshot.listening = [:]
        // The same core the engine runs, fed once: `list` and `watch` judge alike.
        var core = DiscoveryCore(matcher: Matcher(criteria: criteria, selfPID: getpid()))
        core.ingest(.fullScan(snapshot, portless: criteria.isEmpty ? nil : scanner), now: WallClock.now(), recording: false)
        // Identities sorted, not records: moving 10,000 records through a sort retains and
        // releases every string in them at each move.
        let known = core.records.keys.sorted().map { (core.records[$0]!, core.verdicts[$0] ?? .noCriteria) }
        // Criteria filter as grep's pattern does: only what they pick, status 1 when that is nothing.
        let filtering = !criteria.isEmpty && !all
        let rows = filtering ? known.filter { $0.1.matched } : known
        // What the scan could not see is said even when the output could not be written whole:
        // it qualifies whatever part of the listing did reach the reader.
        defer { ScanNotes.report(snapshot.report) }
        if json {
            // Streamed: the whole document at 10,000 processes would be ~8 MB of peak memory.
            let output = StreamedOutput()
            ListJSON.write(rows: rows, snapshot: snapshot, criteria: criteria, scannedAt: scannedAt) { output.write($0) }
            if let failure = output.failure { throw failure }
        } else if !(filtering && rows.isEmpty) {
            // Nothing at all when nothing matched, as grep: a lone header would read as a result.
            try OutputStream.standardOutput.write(ListTable.render(rows: rows, showMatch: !criteria.isEmpty))
        }
        if filtering, rows.isEmpty { throw ExitCode(1) }
    }
}

extension ListCommand {
    /// The agent's live state: its document as served with --json (every process it knows,
    /// `matched` saying which its criteria pick), else the table `list` prints, by the same rule.
    private func listRemote() throws {
        try connect.refuseCriteria(criteria, command: "list")
        let client = try connect.client(for: "list")
        let document: AgentDocument
        do throws(ConnectFailure) {
            // The document as served, written as it arrives: decoding it only to write it again
            // would cost what it saves.
            if json { return try client.processes { Self.write($0) } }
            document = try AgentDocument.decode(try client.processes(), from: client.url)
        } catch {
            throw error.exit()
        }
        let filtering = document.agentHasCriteria && !all
        let rows = filtering ? document.rows.filter { $0.1.matched } : document.rows
        if !(filtering && rows.isEmpty) {
            try OutputStream.standardOutput.write(ListTable.render(rows: rows, showMatch: document.agentHasCriteria))
        }
        if filtering, rows.isEmpty { throw ExitCode(1) }
    }

    private static func write(_ chunk: ByteBuffer) {
        do throws(OutputFailure) {
            try chunk.withUnsafeReadableBytes { raw in Result { () throws(OutputFailure) in try OutputStream.standardOutput.write(raw) } }.get()
        } catch {
            error.exit()
        }
    }
}

/// The one stderr line about what a scan could not see.
enum ScanNotes {
    static func report(_ report: ScanReport) {
        if !report.deniedPIDs.isEmpty {
            Diagnostics.note(
                "could not read the descriptors of \(report.deniedPIDs.count) processes (permission denied); "
                    + "\(report.unownedSockets) listening sockets have no known owner and those processes show ports as unknown. "
                    + "Run as root, or with CAP_SYS_PTRACE or CAP_DAC_READ_SEARCH, to see them."
                    + (report.deniedKernelThreads > 0 ? " \(report.deniedKernelThreads) kernel threads are left out: they hold no sockets." : ""))
        }
        for fallback in report.fallbacks {
            Diagnostics.note("read /proc/net because netlink failed for \(fallback)")
        }
        if let failure = report.iteratorFailure {
            Diagnostics.note("eBPF iterator scan failed (\(failure)); scanned /proc instead")
        }
    }
}

/// Writes chunks until one fails, then remembers why and takes no more.
final class StreamedOutput {
    private(set) var failure: OutputFailure?

    func write(_ chunk: [UInt8]) {
        guard failure == nil else { return }
        do throws(OutputFailure) { try OutputStream.standardOutput.write(bytes: chunk) } catch { failure = error }
    }
}
