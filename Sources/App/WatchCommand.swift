import ArgumentParser
import Dispatch
import Engine
import Glibc

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Stream bind, listen and process events, and discoveries, until interrupted.",
        discussion: """
            Event types: bind, listen, close, fork, exec, exit (from the kernel); created, deleted, \
            changed, matched, unmatched (discovery); info (hooks, mode, lost events). fork, exec and \
            exit are shown for processes that hold listeners unless --all is given.
            """
    )

    @OptionGroup var criteria: CriteriaOptions
    @OptionGroup var engine: EngineOptionGroup

    @Flag(help: "Print one JSON object per line, flushed per event.")
    var json = false

    @Flag(help: "Also print fork, exec and exit of processes that hold no listener.")
    var all = false

    func run() throws {
        let engine = DiscoveryEngine(options: try self.engine.options(criteria: criteria))
        let json = self.json
        let all = self.all
        if !json { try OutputStream.standardOutput.write(WatchLine.header + "\n") }
        let output = WatchOutput()
        // `publish` runs on the engine's queue, which stop() waits for: stop from main.
        let end: @Sendable (OutputFailure) -> Void = { failure in
            DispatchQueue.main.async {
                engine.stop()
                failure.exit()
            }
        }
        ReaderWatch.onGone(of: OutputStream.standardOutput.fd) { end(.readerGone) }
        engine.start { update in
            do throws(OutputFailure) {
                for published in update.events where !output.ended {
                    if case .kernel(_, let relevant) = published.event, !relevant, !all { continue }
                    if json {
                        if let line = WatchLine.json(published, state: update.state) { try OutputStream.standardOutput.write(bytes: line) }
                    } else {
                        try OutputStream.standardOutput.write(WatchLine.text(published))
                    }
                }
            } catch {
                output.ended = true
                end(error)
            }
        }
        Shutdown.onSignals([SIGINT, SIGTERM, SIGHUP], queue: .main) {
            engine.stop()
            Glibc.exit(0)
        }
        dispatchMain()
    }
}

/// Whether the output has ended (its reader left, or a write failed): events published between
/// that and the engine's stop are dropped, not written into a broken stream again. Touched only
/// on the engine's queue, which runs one update at a time.
private final class WatchOutput: @unchecked Sendable {
    var ended = false
}

/// Handles signals on a dispatch queue rather than in a signal handler, where almost nothing is safe.
enum Shutdown {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func onSignals(_ signals: [Int32], queue: DispatchQueue, _ action: @escaping @Sendable () -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: action)
            source.resume()
            sources.append(source)
        }
    }
}
