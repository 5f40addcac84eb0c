@testable import Agent
@testable import App
@testable import Engine
import NIOHTTP1
import Testing

/// The pure rules of `discotop serve`: routing, the listen address, the token, the per-scrape series.
@Suite struct ServeRulesTests {
    @Test func routingServesGetAndHeadOnKnownPathsOnly() {
        #expect(Endpoint.route(method: .GET, uri: "/metrics") == .serve(.metrics))
        #expect(Endpoint.route(method: .HEAD, uri: "/healthz") == .serve(.health))
        #expect(Endpoint.route(method: .GET, uri: "/v1/events?since=0") == .serve(.events))
        #expect(Endpoint.route(method: .POST, uri: "/metrics") == .methodNotAllowed)
        #expect(Endpoint.route(method: .DELETE, uri: "/v1/processes") == .methodNotAllowed)
        #expect(Endpoint.route(method: .GET, uri: "/v1/processes/1") == .inspect(pid: 1, startTime: nil))
        #expect(Endpoint.route(method: .GET, uri: "/v1/processes/42?start_time=77") == .inspect(pid: 42, startTime: 77))
        #expect(Endpoint.route(method: .PUT, uri: "/v1/processes/42") == .methodNotAllowed)
        #expect(Endpoint.route(method: .GET, uri: "/v1/criteria") == .serve(.criteria))
        #expect(Endpoint.route(method: .PUT, uri: "/v1/criteria") == .methodNotAllowed, "read-only unless --allow-remote-criteria")
        #expect(Endpoint.route(method: .PUT, uri: "/v1/criteria", remoteCriteria: true) == .setCriteria)
        #expect(Endpoint.route(method: .POST, uri: "/v1/criteria", remoteCriteria: true) == .methodNotAllowed)
        #expect(Endpoint.route(method: .PUT, uri: "/metrics", remoteCriteria: true) == .methodNotAllowed)
        for path in ["/", "/metrics/", "/v1/processes/0", "/v1/processes/-1", "/v1/processes/x", "/v1/processes/99999999999", "/v1/processes/1/", "//metrics", "/METRICS", "metrics", "", "/v1/events#x", "/%6detrics"] {
            #expect(Endpoint.route(method: .GET, uri: path) == .notFound, "\(path)")
        }
        #expect(Endpoint.route(method: .POST, uri: "/nope") == .notFound, "an unknown path is 404 whatever the method")
        #expect(!Endpoint.health.needsToken && Endpoint.metrics.needsToken && Endpoint.events.needsToken && Endpoint.processes.needsToken)
    }

    @Test(arguments: [
        ("127.0.0.1:10088", "127.0.0.1", 10088, true), ("[::1]:80", "::1", 80, true), (":9", "0.0.0.0", 9, false),
        ("0.0.0.0:0", "0.0.0.0", 0, false), ("10.1.2.3:443", "10.1.2.3", 443, false), ("127.8.9.1:1", "127.8.9.1", 1, true),
        ("[::]:5", "::", 5, false),
    ])
    func listenAddressesParse(text: String, host: String, port: Int, loopback: Bool) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host && Int(address.port) == port && address.isLoopback == loopback)
    }

    @Test(arguments: ["localhost:80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:+80", "127.0.0.1:-1", "[::1:80", "[::1]80",
                      "::1:80", "1.2.3:80", "", ":", "\u{1b}[2J:1"])
    func badListenAddressesAreRefusedAndQuotedSafely(text: String) {
        #expect(throws: ListenAddress.Invalid.self) { try ListenAddress(parsing: text) }
        #expect(!"\(ListenAddress.Invalid(text: text))".contains("\u{1b}"))
    }

    @Test func theTokenAdmitsOnlyItsExactBearerHeader() {
        let token = BearerToken("s3cret")
        #expect(token.admits("Bearer s3cret"))
        for wrong in [nil, "", "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cret ", "Bearer s3creT", "bearer s3cret", "Basic s3cret", "Bearer s3cretX"] {
            #expect(!token.admits(wrong), "\(String(describing: wrong))")
        }
    }

    @Test func perProcessSeriesFollowTheStateAndLeaveNothingBehind() throws {
        var state = EngineState()
        state.criteria = Criteria(openPorts: try PortRanges(parsing: "8080"))
        state.processes = [MonitorFixture.record(pid: 200, ports: [8080]), MonitorFixture.record(pid: 300, ports: [9090, 9091])]
        let matcher = Matcher(criteria: state.criteria, selfPID: 1)
        for p in state.processes { state.verdicts[p.identity] = matcher.verdict(for: p) }
        func scrape(_ state: EngineState, perProcess: Bool = true) -> String {
            var buffer: [UInt8] = []
            StateMetrics.emit(state, into: &buffer)
            if perProcess { ProcessSeries.emit(state, into: &buffer) }
            return String(decoding: buffer, as: UTF8.self)
        }
        let full = scrape(state)
        #expect(full.contains(#"discotop_listening_socket_info{pid="300",proto="tcp",family="ipv4",address="0.0.0.0",port="9091"} 1"#))
        #expect(full.contains(#"discotop_process_info{pid="200",comm="python3",exe="/usr/bin/python3",service_name="",selector="command line",match="matched"} 1"#))
        #expect(full.contains(#"discotop_matched_processes{selector="command line"} 1"#))
        #expect(full.contains("discotop_listening_processes 2"))
        state.processes = [state.processes[0]]
        state.verdicts = state.verdicts.filter { $0.key.pid == 200 }
        let after = scrape(state)
        #expect(!after.contains(#"pid="300""#), "a process that went away leaves no series")
        #expect(after.contains(#"discotop_process_info{pid="200""#))
        state.verdicts = [:]
        #expect(scrape(state).contains(#"discotop_process_info{pid="200",comm="python3",exe="/usr/bin/python3",service_name="",selector="",match="unmatched"} 1"#),
                "a changed verdict replaces the series, not adds one")
        #expect(scrape(state).components(separatedBy: "discotop_process_info{").count == 2)
        #expect(!scrape(state, perProcess: false).contains("discotop_process_info"))
        #expect(!scrape(state, perProcess: false).contains("discotop_listening_socket_info"))
    }

    @Test func labelValuesFromProcessesAreEscaped() {
        var state = EngineState()
        state.processes = [MonitorFixture.record(pid: 7, ports: [80], comm: "a\"b\\c\nd", exe: "/tmp/x\"y")]
        var buffer: [UInt8] = []
        ProcessSeries.emit(state, into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains(#"comm="a\"b\\c\nd""#))
        #expect(text.contains(#"exe="/tmp/x\"y""#))
    }
}
