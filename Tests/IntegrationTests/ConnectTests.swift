import Foundation
import Glibc
import Testing

/// `list`, `watch` and the monitor with `--connect`: a real `discotop serve` read by the real
/// binary, and what each gets told when the agent is missing, guarded or not an agent at all.
extension SystemTests {
    @Suite struct ConnectTests {
        /// Waits on a loaded machine: the agent's first document of every process may take a while.
        static let patience = "60"

        func connect(_ command: [String], _ agent: Agent, _ extra: [String] = []) throws -> RunResult {
            try run(Binaries.discotop, command + ["--connect", ":\(agent.port)", "--timeout", Self.patience] + extra, timeout: 120)
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func listAndWatchConnectShowTheAgentsState() throws {
            let base = TestPorts.freeRange(count: 4)
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let agent = try Agent(["-p", String(base)])
            #expect(agent.waitUntilReady())
            let pid = String(helper.pid)

            // The table, as `list` prints it: only what the agent's criteria pick, with MATCH.
            let text = try connect(["list"], agent)
            #expect(text.status == 0, "\(text.stderr)")
            let rows = text.stdout.split(separator: "\n")
            #expect(rows.first?.hasPrefix("PID") == true && rows.first?.hasSuffix("MATCH") == true, "\(text.stdout)")
            #expect(rows.count == 2 && rows.last?.hasPrefix(pid + " ") == true && rows.last?.contains("127.0.0.1:\(base)/tcp") == true, "\(text.stdout)")
            // --all: every process the agent knows, the helper marked.
            let all = try connect(["list", "--all"], agent)
            #expect(all.stdout.split(separator: "\n").count > 2)

            // --json: the agent's own document, as /v1/processes serves it.
            let json = try connect(["list", "--json"], agent)
            #expect(json.status == 0, "\(json.stderr)")
            let document = try #require(jsonObject(json.stdout))
            #expect(document["schema_version"] as? Int == 1)
            let processes = try #require(document["processes"] as? [[String: Any]])
            #expect(processes.first { $0["pid"] as? Int == Int(helper.pid) }?["match"] as? String == "matched")

            // watch: the snapshot first (created, then matched for the helper), then live events.
            let watch = try StreamingProcess(Binaries.discotop, ["watch", "--json", "--connect", ":\(agent.port)", "--timeout", Self.patience])
            let matched = watch.waitForLine(timeout: 90) { jsonObject($0)?["type"] as? String == "matched" && jsonObject($0)?["pid"] as? Int == Int(helper.pid) }
            #expect(matched != nil, "\(watch.collected.suffix(5))")
            // Each line names the agent it came from, first.
            #expect(matched.map { jsonObject($0)?["node"] as? String } == "127.0.0.1:\(agent.port)", "\(matched ?? "")")
            #expect(matched?.hasPrefix(#"{"node":"#) == true)
            // A listener that starts now arrives live, as a listen event on its port.
            let late = TestPorts.free()
            let fresh = try Helper(script: Scripts.listeners, arguments: [String(late)])
            let listen = watch.waitForLine(timeout: 30) { jsonObject($0)?["type"] as? String == "listen" && jsonObject($0)?["port"] as? Int == Int(late) }
            #expect(listen != nil, "\(watch.collected.suffix(5))")
            _ = fresh
            _ = watch.stop(SIGTERM)

            let textWatch = try StreamingProcess(Binaries.discotop, ["watch", "--connect", ":\(agent.port)", "--timeout", Self.patience])
            let line = textWatch.waitForLine(timeout: 90) { $0.contains(" MATCHED ") && $0.contains(" \(pid) ") }
            #expect(line?.contains("127.0.0.1:\(base)/tcp") == true, "\(textWatch.collected.prefix(3))")
            let header = textWatch.collected.first ?? ""
            #expect(header.hasPrefix("NODE ") && header.contains(" TIME          EVENT "), "\(header)")
            #expect(line?.hasPrefix("127.0.0.1:\(agent.port) ") == true, "\(line ?? "")")
            _ = textWatch.stop(SIGTERM)

            // Inspect details, computed on the agent.
            let inspect = try #require(agent.get("/v1/processes/\(pid)"))
            #expect(inspect.status == 200, "\(inspect.text)")
            let view = try #require(jsonObject(inspect.text))
            #expect(view["schema_version"] as? Int == 1 && view["pid"] as? Int == Int(helper.pid))
            let lines = try #require(view["lines"] as? [[String: Any]])
            #expect(lines.contains { $0["label"] as? String == "cmdline" && ($0["value"] as? String)?.contains("python3") == true })
            #expect(agent.get("/v1/processes/\(pid)?start_time=1")?.status == 404, "another process of that pid is not this one")
            #expect(HTTPGet.fetch(port: agent.port, "/v1/processes/\(pid)", method: "PUT", headers: ["Content-Length: 0"])?.status == 405)
            #expect(agent.stop() == 0)
        }

        @Test func connectFailuresSayWhatIsWrong() throws {
            // Nothing listens there.
            let nobody = TestPorts.free()
            let refused = try run(Binaries.discotop, ["list", "--connect", "127.0.0.1:\(nobody)"])
            #expect(refused.status == 1)
            #expect(refused.stderr == "discotop: cannot connect to http://127.0.0.1:\(nobody): connection refused (is `discotop serve` running there, on that port?)\n")

            // Not an agent: a web server that answers something else.
            let other = try Helper(script: Self.otherServer, arguments: ["html"])
            let html = try run(Binaries.discotop, ["list", "--connect", ":\(other.ready["port"] as? Int ?? 0)"])
            #expect(html.status == 1 && html.stderr.contains("does not look like discotop serve: its answer is not a discotop JSON document"), "\(html.stderr)")
            // An agent of another schema.
            let newer = try Helper(script: Self.otherServer, arguments: ["future"])
            let mismatch = try run(Binaries.discotop, ["list", "--connect", ":\(newer.ready["port"] as? Int ?? 0)"])
            #expect(mismatch.status == 1 && mismatch.stderr.contains("speaks schema_version 99 and this discotop reads 1"), "\(mismatch.stderr)")
            // Accepts, never answers.
            let silent = try Helper(script: Self.otherServer, arguments: ["silent"])
            let started = Date()
            let slow = try run(Binaries.discotop, ["list", "--connect", ":\(silent.ready["port"] as? Int ?? 0)", "--timeout", "1"], timeout: 20)
            #expect(slow.status == 1 && slow.stderr.hasSuffix("did not answer within 1 s\n"), "\(slow.stderr)")
            #expect(Date().timeIntervalSince(started) < 10)

            // Bad URLs are usage errors, quoted safely.
            let bad = try run(Binaries.discotop, ["list", "--connect", "https://x:1"])
            #expect(bad.status == 2 && bad.stderr.contains("only http://"), "\(bad.stderr)")
            let escape = try run(Binaries.discotop, ["watch", "--connect", "\u{1b}[2J:1"])
            #expect(escape.status == 2 && !escape.stderr.contains("\u{1b}"), "\(escape.stderr)")
            let criteria = try run(Binaries.discotop, ["list", "--connect", ":1", "-p", "80"])
            #expect(criteria.status == 2 && criteria.stderr.contains("shows the agent's criteria"), "\(criteria.stderr)")
        }

        @Test func aTokenGuardedAgentSaysWhetherTheTokenIsMissingOrWrong() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-connect-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let right = directory.appendingPathComponent("token").path
            let wrong = directory.appendingPathComponent("wrong").path
            try "s3cret\n".write(toFile: right, atomically: true, encoding: .utf8)
            try "guess\n".write(toFile: wrong, atomically: true, encoding: .utf8)
            let agent = try Agent(["--no-ebpf", "--token-file", right])
            #expect(agent.waitUntilReady())
            let none = try connect(["list"], agent)
            #expect(none.status == 1 && none.stderr == "discotop: http://127.0.0.1:\(agent.port) needs a bearer token (401): give --token-file with the agent's token\n", "\(none.stderr)")
            let guessed = try connect(["list"], agent, ["--token-file", wrong])
            #expect(guessed.status == 1 && guessed.stderr.contains("refused the token (401)"), "\(guessed.stderr)")
            let watched = try connect(["watch", "--json"], agent, ["--token-file", wrong])
            #expect(watched.status == 1 && watched.stderr.contains("refused the token (401)"), "\(watched.stderr)")
            let admitted = try connect(["list", "--json"], agent, ["--token-file", right])
            #expect(admitted.status == 0 && jsonObject(admitted.stdout)?["schema_version"] as? Int == 1, "\(admitted.stderr)")
            #expect(agent.stop() == 0)
        }

        /// `PUT /v1/criteria` with `body`, as raw HTTP.
        func put(_ agent: Agent, _ body: String, token: String? = nil) -> HTTPReply? {
            guard let connection = RawConnection(port: agent.port) else { return nil }
            let head = ["PUT /v1/criteria HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Content-Length: \(body.utf8.count)"]
                + (token.map { ["Authorization: Bearer \($0)"] } ?? [])
            connection.send(head.joined(separator: "\r\n") + "\r\n\r\n" + body)
            return HTTPReply(connection.receive(timeout: 10).bytes)
        }

        @Test func remoteCriteriaChangeOnlyWithTheFlagAndTheToken() throws {
            // Without the flag the agent stays read-only: 405, and its criteria are what it started with.
            let plain = try Agent(["--no-ebpf", "-p", "8080"])
            #expect(plain.waitUntilReady())
            let refused = put(plain, "9090")
            #expect(refused?.status == 405 && refused?.headers["allow"] == "GET, HEAD", "\(String(describing: refused?.text))")
            #expect(plain.get("/v1/criteria")?.text == "open_ports=8080\n")
            #expect(plain.stop() == 0)

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-criteria-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let tokenFile = directory.appendingPathComponent("token").path
            try "s3cret\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let open = try Agent(["--no-ebpf", "-p", "8080", "--allow-remote-criteria", "--token-file", tokenFile])
            #expect(open.waitUntilReady())
            #expect(put(open, "9090")?.status == 401, "the token guards the one write")
            let bad = put(open, "90a", token: "s3cret")
            #expect(bad?.status == 400 && bad?.text.contains("not a number") == true, "\(String(describing: bad?.text))")
            let set = put(open, "9090,9100-9110\n", token: "s3cret")
            #expect(set?.status == 200 && set?.text == "open_ports=9090,9100-9110\n", "\(String(describing: set?.text))")
            // The engine applies them with its next batch.
            let deadline = Date().addingTimeInterval(10)
            var now = ""
            while Date() < deadline, now != "open_ports=9090,9100-9110\n" {
                now = open.get("/v1/criteria", headers: ["Authorization: Bearer s3cret"])?.text ?? ""
                usleep(100_000)
            }
            #expect(now == "open_ports=9090,9100-9110\n")
            #expect(HTTPGet.fetch(port: open.port, "/v1/criteria", method: "DELETE", headers: ["Authorization: Bearer s3cret"])?.headers["allow"] == "GET, HEAD, PUT")
            #expect(open.stop() == 0)
        }

        /// argv: html (a web page), future (a discotop document of schema 99) or silent (accepts
        /// and never answers). Prints its port.
        static let otherServer = #"""
            import json, socket, sys, threading, time
            mode = sys.argv[1]
            server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(16)
            print(json.dumps({"pid": 0, "port": server.getsockname()[1]}), flush=True)
            bodies = {"html": ("text/html", b"<html>hello</html>"), "future": ("application/json", b'{"schema_version":99,"processes":[]}')}
            keep = []
            while True:
                conn, _ = server.accept(); keep.append(conn)
                if mode == "silent": continue
                conn.recv(65536)
                kind, body = bodies[mode]
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + kind.encode() + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
                conn.close()
            """#
    }
}
