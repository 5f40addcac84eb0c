import Agent
import ArgumentParser
import Dispatch
import Engine
import Glibc
import NIOCore

/// `discotop serve`: the engine headless, behind a read-only HTTP API and a Prometheus endpoint.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run discovery headless and serve it over HTTP: /metrics, /v1/processes, /v1/events, /healthz.",
        discussion: """
            Read-only (but for PUT /v1/criteria with --allow-remote-criteria). The default address is loopback; on any other, give --token-file, or every \
            process and port of the node is visible to whoever reaches it. With a token, every \
            request but /healthz needs `Authorization: Bearer <token>`.
            """
    )

    @OptionGroup var criteria: CriteriaOptions
    @OptionGroup var engine: EngineOptionGroup

    @Option(name: .customLong("listen"), help: ArgumentHelp(
        "Address to serve on: HOST:PORT, [IPV6]:PORT or :PORT for every address (default \(ListenAddress.default)).",
        valueName: "address"))
    var listen: String?

    @Option(name: .customLong("token-file"), help: "File holding the bearer token requests must carry (trailing newline ignored).",
            completion: .file())
    var tokenFile: String?

    @Flag(name: .customLong("no-process-series"),
          help: "Leave out discotop_process_info and discotop_listening_socket_info (one series per process and per socket) on very large nodes.")
    var noProcessSeries = false

    @Flag(name: .customLong("allow-remote-criteria"),
          help: "Let PUT /v1/criteria (with the token, when there is one) set the port ranges of the criteria, as a monitor's / prompt with --connect then does.")
    var allowRemoteCriteria = false

    mutating func validate() throws {
        _ = try address()
        _ = try token()
    }

    func run() throws {
        let address = try address()
        let token = try token()
        if !address.isLoopback, token == nil {
            Diagnostics.note("warning: serving on \(address) without --token-file: anyone who can reach it sees every process and port of this node")
        }
        let limits = ServerLimits()
        let options = try self.engine.options(criteria: criteria)
        let engine = DiscoveryEngine(options: options)
        let control = allowRemoteCriteria ? CriteriaControl(base: options.criteria) { engine.setCriteria($0) } : nil
        let hub = AgentHub(documents: ServeDocuments(), backlog: limits.eventBacklogBytes, criteriaControl: control)
        let server: any Channel
        do {
            let pipeline = AgentPipeline(hub: hub, token: token, limits: limits, perProcessSeries: !noProcessSeries)
            server = try HTTPServer.start(at: address, pipeline: pipeline, limits: limits)
        } catch {
            Diagnostics.error("cannot serve on \(address): \(error)")
            throw ExitCode(1)
        }
        Shutdown.onSignals([SIGINT, SIGTERM, SIGHUP], queue: .main) {
            engine.stop()
            Glibc.exit(0)
        }
        engine.start { update in hub.publish(update) }
        // Last, once signals are handled: a supervisor (or a test) that reads this line may
        // stop the agent at once.
        let bound = server.localAddress?.port.map { ListenAddress(host: address.host, port: UInt16($0)) } ?? address
        Diagnostics.note("serving on http://\(bound)")
        dispatchMain()
    }

    private func address() throws -> ListenAddress {
        guard let listen else { return .default }
        do {
            return try ListenAddress(parsing: listen)
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }

    private func token() throws -> BearerToken? {
        guard let tokenFile else { return nil }
        do {
            return try BearerToken(file: tokenFile)
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
