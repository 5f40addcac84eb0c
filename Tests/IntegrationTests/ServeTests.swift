import Foundation
import Glibc
import Testing

/// `discotop serve` through its HTTP face, as a scraper, a script and a hostile client use it.
extension SystemTests {
    @Suite struct ServeTests {
        /// The `processes` of a `list --json` document, keyed by pid, without the scan fields.
        func processesByPID(_ document: [UInt8]) -> [Int: NSDictionary] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(document)) as? [String: Any],
                  let processes = object["processes"] as? [[String: Any]] else { return [:] }
            return Dictionary(processes.map { ($0["pid"] as? Int ?? 0, $0 as NSDictionary) }, uniquingKeysWith: { a, _ in a })
        }

        /// The JSON lines of a chunked ndjson body (chunk sizes parse as no object and drop out).
        func eventLines(_ body: [UInt8]) -> [[String: Any]] {
            body.split(separator: UInt8(ascii: "\n")).compactMap { jsonObject(String(decoding: $0, as: UTF8.self)) }
        }

        @Test func healthzIs200WithTheModeOnceScannedAndEveryOtherPathOrMethodIsRefused() throws {
            let agent = try Agent(["--no-ebpf", "--poll-interval", "0.5"])
            #expect(agent.waitUntilReady())
            let health = try #require(agent.get("/healthz"))
            #expect(health.text == "ok: poll 0.5s: --no-ebpf\n")
            #expect(agent.get("/nope")?.status == 404)
            #expect(agent.get("/metrics/")?.status == 404)
            #expect(agent.get("/metrics?format=text")?.status == 200)
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let reply = HTTPGet.fetch(port: agent.port, "/v1/processes", method: method, headers: ["Content-Length: 0"])
                #expect(reply?.status == 405, "\(method)")
                #expect(reply?.headers["allow"] == "GET, HEAD")
            }
            let head = HTTPGet.fetch(port: agent.port, "/metrics", method: "HEAD")
            #expect(head?.status == 200 && head?.body.isEmpty == true)
            #expect(agent.stop() == 0)
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func processesEqualListJSONModuloTheScanFields() throws {
            let base = TestPorts.free()
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let agent = try Agent(["-p", "\(base)-\(base + 3)"])
            #expect(agent.waitUntilReady())
            // Other programs on the machine may start or stop listening between the two reads:
            // a few tries until both see the same node.
            var served: [Int: NSDictionary] = [:]
            var listed: [Int: NSDictionary] = [:]
            for _ in 0..<5 {
                let reply = try #require(agent.get("/v1/processes"))
                #expect(reply.status == 200 && reply.headers["content-type"] == "application/json")
                served = processesByPID(reply.body)
                listed = processesByPID(Array(try run(Binaries.discotop, ["list", "--json", "-p", "\(base)-\(base + 3)"]).stdout.utf8))
                if served.filter({ $0.key != Int(agent.pid) }) == listed.filter({ $0.key != Int(agent.pid) }) { break }
                usleep(300_000)
            }
            // The agent sees itself as discotop, which never matches; list sees it as any other process.
            served[Int(agent.pid)] = nil
            listed[Int(agent.pid)] = nil
            let differing = Set(served.keys).union(listed.keys).filter { served[$0] != listed[$0] }
            #expect(differing.isEmpty, "\(differing.sorted().map { "\($0): served \(served[$0].map { "\($0)" } ?? "nothing"), listed \(listed[$0].map { "\($0)" } ?? "nothing")" })")
            #expect((served[Int(helper.pid)]?["match"] as? String) == "matched")
            #expect(agent.stop() == 0)
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func eventsStartWithASnapshotThenDeliverMatchedForAFreshListenerQuickly() throws {
            let base = TestPorts.freeRange(count: 2)
            let early = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let agent = try Agent(["-p", "\(base)-\(base + 1)"])
            #expect(agent.waitUntilReady())
            let stream = try #require(RawConnection(port: agent.port))
            stream.send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
            let snapshot = stream.receive(timeout: 5) { bytes in
                eventLines(bytes).contains { $0["type"] as? String == "matched" && $0["pid"] as? Int == Int(early.pid) }
            }
            let reply = try #require(HTTPReply(snapshot.bytes))
            #expect(reply.status == 200 && reply.headers["content-type"] == "application/x-ndjson" && reply.headers["transfer-encoding"] == "chunked")
            let lines = eventLines(reply.body)
            #expect(lines.first { $0["pid"] as? Int == Int(early.pid) }?["type"] as? String == "created", "created before matched")
            // A listener of our own, so the time of listen() is known to the microsecond.
            let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            defer { socket.close() }
            #expect(socket.bind("127.0.0.1", base + 1) == 0)
            let listened = Date()
            #expect(socket.listen() == 0)
            let live = stream.receive(timeout: 5) { bytes in
                eventLines(bytes).contains { $0["type"] as? String == "matched" && ($0["ports"] as? [[String: Any]])?.contains { $0["port"] as? Int == Int(base + 1) } == true }
            }
            let latency = Date().timeIntervalSince(listened)
            #expect(eventLines(live.bytes).contains { $0["type"] as? String == "matched" && $0["pid"] as? Int == Int(getpid()) })
            // The issue's target is 50 ms; a shared 2-core machine running other builds gets a margin.
            #expect(latency < 0.25, "matched \(Int(latency * 1000)) ms after listen()")
            print("serve: /v1/events matched \(String(format: "%.1f", latency * 1000)) ms after listen()")
            #expect(agent.stop() == 0)
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func aStalledEventsClientIsCutOffAndTheAgentsMemoryStaysFlat() throws {
            let base = TestPorts.free()
            let agent = try Agent(["-p", "\(base)"])
            #expect(agent.waitUntilReady())
            // A tiny receive buffer, set before connecting, and never a read: the client stalls at once.
            let stalled = try #require(RawConnection(port: agent.port, receiveBuffer: 4096))
            stalled.send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
            usleep(300_000)
            let before = agent.residentKiB
            var cutOff = false
            var rounds = 0
            let deadline = Date().addingTimeInterval(30)
            // Listeners opening and closing make bind, listen and close lines: each round adds
            // about 40 KB the stalled client never takes, at a pace the engine keeps up with.
            while !cutOff, Date() < deadline {
                usleep(20_000)
                for _ in 0..<50 {
                    let socket = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
                    socket.bind("127.0.0.1", 0)
                    socket.listen()
                    socket.close()
                }
                rounds += 1
                cutOff = stalled.peerHasClosed
            }
            let after = agent.residentKiB
            #expect(cutOff, "still connected after \(rounds * 50) listeners")
            print("serve: stalled client cut off after \(rounds * 50) listeners; RSS \(before) KiB before, \(after) KiB after")
            #expect(after - before < 8 * 1024, "RSS grew from \(before) to \(after) KiB")
            #expect(agent.get("/healthz")?.status == 200)
            #expect(agent.stop() == 0)
        }

        @Test func hostileClientsGetTheirStatusAndTheAgentKeepsServing() throws {
            let agent = try Agent(["--no-ebpf", "--poll-interval", "1"])
            #expect(agent.waitUntilReady())
            // The slowloris runs beside the rest: its cut-off takes the request timeout (10 s).
            let slow = try #require(RawConnection(port: agent.port))
            let slowStart = Date()
            let slowloris = Thread {
                for byte in Array("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 60) {
                    guard slow.send([byte]) else { return }
                    sleep(1)
                }
            }
            slowloris.start()

            let garbage = try #require(RawConnection(port: agent.port))
            garbage.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03] + Array("\u{1b}[2J\r\n\r\n".utf8))
            let garbageReply = garbage.receive(timeout: 5)
            #expect(HTTPReply(garbageReply.bytes)?.status == 400)
            #expect(garbageReply.closed)

            let huge = try #require(RawConnection(port: agent.port))
            huge.send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ")
            // 1 MB of header, sent while reading: the agent answers at its 16 KiB limit and closes.
            var answer: [UInt8] = []
            for _ in 0..<64 where huge.send(Array(repeating: UInt8(ascii: "b"), count: 16 * 1024)) {
                answer += huge.receive(timeout: 0.01).bytes
                if HTTPReply(answer) != nil { break }
            }
            answer += huge.receive(timeout: 2).bytes
            #expect(HTTPReply(answer)?.status == 400, "\(String(decoding: answer.prefix(200), as: UTF8.self))")

            // 500 at once: the first 64 are served, the rest closed on accept.
            var crowd: [RawConnection] = []
            for _ in 0..<500 { if let connection = RawConnection(port: agent.port) { crowd.append(connection) } }
            usleep(500_000)
            let refused = crowd.filter(\.peerHasClosed).count
            #expect(refused >= 500 - 64 - 2, "\(refused) of \(crowd.count) closed")
            crowd.removeAll()
            usleep(300_000)

            #expect(agent.get("/metrics")?.status == 200, "serves after the crowd")
            slowloris.cancel()
            #expect(slow.closedByPeer(within: 15), "slowloris still connected")
            let slowFor = Date().timeIntervalSince(slowStart)
            #expect(slowFor < 14, "slowloris lasted \(Int(slowFor)) s")
            #expect(agent.get("/healthz")?.status == 200)
            #expect(agent.stop() == 0)
            // None of it reached the agent's output: it logs nothing a client sends.
            #expect(agent.process.collected.allSatisfy { $0.hasPrefix("discotop: serving on http://") }, "\(agent.process.collected)")
        }

        @Test func aTokenGuardsEveryEndpointButHealthz() throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-token-\(UUID().uuidString)")
            try "s3cret-token\n".write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let agent = try Agent(["--no-ebpf", "--token-file", file.path])
            #expect(agent.waitUntilReady())
            #expect(agent.get("/healthz")?.status == 200)
            for wrong in [[], ["Authorization: Bearer s3cret-tokeN"], ["Authorization: Bearer s3cret-token2"], ["Authorization: Basic czNjcmV0"],
                          ["Authorization: Bearer"], ["Authorization: bearer s3cret-token"]] {
                let reply = agent.get("/metrics", headers: wrong)
                #expect(reply?.status == 401, "\(wrong)")
                #expect(reply?.headers["www-authenticate"] == "Bearer")
            }
            #expect(agent.get("/metrics", headers: ["Authorization: Bearer s3cret-token"])?.status == 200)
            #expect(agent.get("/v1/processes", headers: ["Authorization: Bearer s3cret-token"])?.status == 200)
            #expect(agent.stop() == 0)
            #expect(!agent.process.collected.contains { $0.contains("warning") }, "loopback needs no warning")
        }

        @Test func aNonLoopbackAddressWithoutATokenWarnsOnce() throws {
            let process = try StreamingProcess(Binaries.discotop, ["serve", "--no-ebpf", "--listen", ":0"])
            #expect(process.waitForLine { $0.contains("serving on http://0.0.0.0:") } != nil)
            #expect(process.stop(SIGTERM) == 0)
            #expect(process.collected.filter { $0.contains("without --token-file") }.count == 1, "\(process.collected)")
        }

        @Test(arguments: [["--listen", "localhost:80"], ["--listen", "127.0.0.1"], ["--listen", "127.0.0.1:65536"], ["--listen", "[::1:80"],
                          ["--token-file", "/nonexistent/token"], ["--token-file", "/dev/null"]])
        func badServeOptionsExitWithStatus2(arguments: [String]) throws {
            let result = try run(Binaries.discotop, ["serve"] + arguments)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("discotop: "))
        }
    }
}
