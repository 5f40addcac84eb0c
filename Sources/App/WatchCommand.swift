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
            changed, matched, unmatched (discovery); info (hooks, mode, lost events). With criteria only \
            what concerns them is shown: binds, listens and closes on the ports they name, and every \
            event of a matched process. Without criteria fork, exec and exit are shown for processes \
            that hold listeners. --all shows everything.
            """
    )

    @OptionGroup var criteria: CriteriaOptions
    @OptionGroup var engine: EngineOptionGroup

    @Flag(help: "Print one JSON object per line, flushed per event.")
    var json = false

    @Flag(help: "Print every event: those the criteria do not concern, and fork, exec and exit of processes that hold no listener.")
    var all = false

    @OptionGroup var connect: ConnectOptions

    func run() throws {
        if connect.isRemote { return try watchRemote() }
        let engine = DiscoveryEngine(options: try self.engine.options(criteria: criteria))
        let json = self.json
        let all = self.all
        if !json { try OutputStream.standardOutput.write(WatchLine.header + "\n") }
        // The engine hands updates over and goes on; a thread of its own writes them, so a reader
        // that stops reading (a paused pager, a stalled pipe) never stalls discovery.
        let backlog = UpdateBacklog()
        let end: @Sendable (OutputFailure) -> Void = { failure in
            backlog.close()
            DispatchQueue.main.async {
                engine.stop()
                failure.exit()
            }
        }
        ReaderWatch.onGone(of: OutputStream.standardOutput.fd) { end(.readerGone) }
        DispatchQueue(label: "discotop.watch.writer").async {
            var output = WatchOutput(json: json, filter: WatchFilter(all: all))
            do throws(OutputFailure) {
                while case let items = backlog.take(), !items.isEmpty {
                    for item in items { try output.write(item) }
                }
            } catch {
                end(error)
            }
        }
        engine.start { backlog.post($0) }
        Shutdown.onSignals([SIGINT, SIGTERM, SIGHUP], queue: .main) {
            engine.stop()
            Glibc.exit(0)
        }
        dispatchMain()
    }
}

/// Writes what the backlog hands over, as text or JSON lines, as far as the filter admits it.
/// Lives on the writer's queue: the filter's memory of matched pids is that thread's alone.
struct WatchOutput {
    let json: Bool
    var filter: WatchFilter

    mutating func write(_ item: UpdateBacklog.Item) throws(OutputFailure) {
        switch item {
        case .dropped(let count):
            try write(TimedEvent(.info(.eventsDropped(count: count)), time: WallClock.now()), state: nil)
        case .update(let update):
            for published in filter.admitted(update.events, state: update.state) {
                try write(published, state: update.state)
            }
        }
    }

    private func write(_ published: TimedEvent, state: EngineState?) throws(OutputFailure) {
        if json {
            if let line = WatchLine.json(published, state: state ?? EngineState()) { try OutputStream.standardOutput.write(bytes: line) }
        } else {
            try OutputStream.standardOutput.write(WatchLine.text(published))
        }
    }
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
