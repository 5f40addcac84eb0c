import Agent
import ArgumentParser
import Engine
import NIOCore
import NIOHTTP1

/// `--connect URL [--token-file F]`: read a running `discotop serve` instead of this machine.
struct ConnectOptions: ParsableArguments {
    @Option(name: .customLong("connect"), help: ArgumentHelp(
        "Show the state of the discotop serve agent at URL (http://HOST:PORT, HOST:PORT or :PORT) instead of this machine's.",
        valueName: "url"))
    var urls: [String] = []

    @Option(name: .customLong("token-file"), help: "With --connect: file holding the agent's bearer token (trailing newline ignored).",
            completion: .file())
    var tokenFile: String?

    @Option(name: .customLong("timeout"), help: ArgumentHelp(
        "With --connect: seconds to wait for an agent to connect and answer (default 10).", valueName: "seconds"))
    var timeout: Int = 10

    var isRemote: Bool { !urls.isEmpty }

    mutating func validate() throws {
        for url in urls { _ = try Self.usage { () throws(AgentURL.Invalid) in try AgentURL(parsing: url) } }
        if tokenFile != nil, urls.isEmpty { throw ValidationError("--token-file is for --connect (serve takes its own)") }
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1-3600 seconds") }
        _ = try token()
    }

    /// One client per URL, in the order given.
    func clients() throws -> [AgentClient] {
        let token = try token()
        return try urls.map { text in
            AgentClient(url: try Self.usage { () throws(AgentURL.Invalid) in try AgentURL(parsing: text) }, token: token, timeoutSeconds: timeout)
        }
    }

    /// The only client, for the commands that read one agent.
    func client(for command: String) throws -> AgentClient {
        let all = try clients()
        guard all.count == 1 else {
            Diagnostics.error("\(command) --connect reads one agent; the monitor merges several")
            throw ExitCode(2)
        }
        return all[0]
    }

    /// Refuses local criteria beside --connect: the agent's own decide what it reports.
    func refuseCriteria(_ criteria: CriteriaOptions, command: String) throws {
        guard criteria.openPorts != nil || criteria.exePath != nil || criteria.config != nil else { return }
        Diagnostics.error("\(command) --connect shows the agent's criteria: start the agent with -p, --exe-path or --config, or filter its JSON")
        throw ExitCode(2)
    }

    private func token() throws -> BearerToken? {
        guard let tokenFile else { return nil }
        return try Self.usage { () throws(BearerToken.Unusable) in try BearerToken(file: tokenFile) }
    }

    private static func usage<T, E: Error>(_ body: () throws(E) -> T) throws -> T {
        do {
            return try body()
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}

extension AgentClient {
    /// `GET /v1/processes`, the agent's document as sent (checked as discotop's first).
    func processes() throws(ConnectFailure) -> [UInt8] {
        let response = try get("/v1/processes")
        try expectOK(response, path: "/v1/processes")
        try AgentSchema.check(response.body, from: url)
        return response.body
    }

    /// `GET /v1/processes` handed to `sink` a chunk at a time as it arrives, once its first
    /// bytes say it is a discotop document: `list --connect --json`, which writes it as sent,
    /// holds no copy of megabytes.
    func processes(into sink: @escaping @Sendable (ByteBuffer) -> Void) throws(ConnectFailure) {
        let path = "/v1/processes"
        let url = url
        // Before the check: the first chunks and their bytes; for a status other than 200, its
        // text (a line of it is said).
        let pending = Locked<(status: HTTPResponseStatus?, held: [ByteBuffer], bytes: [UInt8], checked: Bool)>((nil, [], [], false))
        try get(path, chunks: { head in
            pending.withLock { $0.status = head.status }
            return nil
        }, body: { buffer in
            pending.withLock { pending -> ConnectFailure? in
                if pending.checked {
                    sink(buffer)
                    return nil
                }
                if pending.bytes.count < 4096 { pending.bytes += buffer.readableBytesView.prefix(4096 - pending.bytes.count) }
                guard pending.status == .ok else { return nil }
                pending.held.append(buffer)
                guard pending.bytes.count >= AgentSchema.prefixBytes else { return nil }
                do throws(ConnectFailure) { try AgentSchema.check(pending.bytes, from: url) } catch { return error }
                pending.checked = true
                for chunk in pending.held { sink(chunk) }
                pending.held = []
                return nil
            }
        })
        let (status, held, bytes, checked) = pending.withLock { ($0.status, $0.held, $0.bytes, $0.checked) }
        guard let status else { throw .closed(url) }
        if let failure = failure(status: status, body: bytes, path: path) { throw failure }
        guard !checked else { return }
        // A body shorter than the check reads: whole, then, if it is a document at all.
        try AgentSchema.check(bytes, from: url)
        for chunk in held { sink(chunk) }
    }

    /// What a status other than 200 means coming from an agent.
    func expectOK(_ response: Response, path: String) throws(ConnectFailure) {
        if let failure = failure(status: response.status, body: response.body, path: path) { throw failure }
    }

    func failure(status: HTTPResponseStatus, body: [UInt8], path: String) -> ConnectFailure? {
        switch status {
        case .ok: return nil
        case .unauthorized: return .unauthorized(url, sentToken: hasToken)
        case .serviceUnavailable: return .starting(url)
        case .notFound: return .notDiscotop(url, reason: "it has no \(path) (404)")
        default:
            let text = String(decoding: body.prefix(200), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return .status(url, path: path, code: status.code, text: text)
        }
    }
}

extension ConnectFailure {
    /// Said on stderr; exit status 1, as for any other failure to read what was asked for.
    func exit() -> ExitCode {
        Diagnostics.error(description)
        return ExitCode(1)
    }
}
