import Engine
import Foundation
import Glibc
import Testing

/// Beyla configuration files against real processes: the fixture `e2e.yml` names the ports
/// 47391-47393 and the probe names these tests start.
extension SystemTests { @Suite struct ConfigEndToEndTests {
    let config = Probes.config("e2e.yml")

    func environment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BEYLA_") && !$0.key.hasPrefix("OTEL_") }
            .merging(extra) { $1 }
    }

    func list(_ extra: [String: String] = [:]) throws -> ListOutput {
        let result = try run(Binaries.discotop, ["list", "--json", "--all", "--config", config], environment: environment(extra))
        #expect(result.status == 0, "\(result.stderr)")
        return try ListOutput.decode(result.stdout)
    }

    @Test func languageDetectionOnRealBinaries() throws {
        let probes = try Probes.built.get()
        let go = try Helper(program: probes.go, arguments: ["0"])
        let c = try Helper(program: probes.c, arguments: ["0"])
        let cpp = try Helper(program: probes.cpp, arguments: [])
        let python = try Helper(script: Scripts.idle)
        let detector = LanguageDetector()
        guard case .go(let info?) = detector.language(of: go.pid, exe: probes.go) else {
            Issue.record("the Go probe was not recognised as Go with build info")
            return
        }
        #expect(info.version.hasPrefix("go1."))
        #expect(info.path == "example.com/discotop/probe")
        #expect(detector.language(of: c.pid, exe: probes.c) == .native)
        #expect(detector.language(of: cpp.pid, exe: probes.cpp) == .cpp)
        #expect(detector.language(of: python.pid, exe: "/usr/bin/python3") == .python)
        #expect(detector.language(of: go.pid, exe: probes.go).selectorName == "go")
    }

    @Test func listWithAFixtureConfigSaysWhichSelectorPickedEachProcessAndWhy() throws {
        let probes = try Probes.built.get()
        let go = try Helper(program: probes.go, arguments: ["47391"])
        let web = try Helper(script: Scripts.listenerWithChild, arguments: ["47392"])
        let child = try #require(web.pids("children").first)
        let cee = try Helper(program: probes.namedC, arguments: ["0", "--serve"])
        let quiet = try Helper(program: probes.namedC, arguments: ["0"])
        let excluded = try Helper(program: probes.excludedC, arguments: ["47393"])

        // The file's min_process_age (30 s): port-less matches are still pending.
        let young = try list()
        let goRow = try #require(young.process(go.pid))
        #expect(goRow.match == "matched")
        #expect(goRow.selectors == ["gopher", "instrument[3]"])
        #expect(goRow.match_reasons == ["open_ports 47391", "languages go"])
        let webRow = try #require(young.process(web.pid))
        #expect(webRow.selectors == ["web", "instrument[3]"])
        #expect(webRow.service_name == "web" && webRow.service_namespace == "shop")
        #expect(young.process(child)?.match == "pending")
        #expect(young.process(child)?.inherited_from == web.pid)
        #expect(young.process(child)?.ports?.isEmpty == true)
        #expect(young.process(cee.pid)?.match == "pending")
        #expect(young.process(quiet.pid) == nil, "a port-less process no selector picks is not listed")
        let excludedRow = try #require(young.process(excluded.pid))
        #expect(excludedRow.match == "excluded" && !excludedRow.matched)
        #expect(excludedRow.selectors == ["exclude_instrument[0]"])

        // The environment overrides the file: with no minimum age they are picked at once.
        let aged = try list(["BEYLA_MIN_PROCESS_AGE": "0s"])
        let childRow = try #require(aged.process(child))
        #expect(childRow.match == "inherited" && childRow.matched)
        #expect(childRow.inherited_from == web.pid)
        #expect(childRow.selectors == ["web", "instrument[3]"])
        let ceeRow = try #require(aged.process(cee.pid))
        #expect(ceeRow.match == "matched")
        #expect(ceeRow.selectors == ["cee"])
        #expect(ceeRow.match_reasons?.contains("cmd_args 0 --serve") == true)

        // Environment ports add to the file's top-level ones, as a selector of their own.
        let withEnv = try list(["BEYLA_MIN_PROCESS_AGE": "0s", "BEYLA_OPEN_PORT": "47392"])
        #expect(withEnv.process(web.pid)?.selectors == ["web", "instrument[3]", "environment"])
    }

    @Test func checkConfigPrintsTheResolvedSelectorsAndRejectsABadFile() throws {
        let good = try run(Binaries.discotop, ["check-config", config], environment: environment(["BEYLA_OPEN_PORT": "443"]))
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("valid (selectors from discovery.instrument)"))
        #expect(good.stdout.contains("environment: BEYLA_OPEN_PORT"))
        #expect(good.stdout.contains("1. gopher (line 9): open_ports=47391 languages=glob go"))
        #expect(good.stdout.contains("5. environment: open_ports=443"))
        #expect(good.stdout.contains("1. exclude_instrument[0] (line 21): exe_path=glob *excluded-probe"))
        #expect(good.stdout.contains("min_process_age 30s"))
        let bad = try run(Binaries.discotop, ["check-config", Probes.config("invalid/unknown-selector-key.yml")])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.contains("unknown-selector-key.yml:4: unknown key \"open_port\" in discovery.instrument[1]; did you mean \"open_ports\"?"))
        let badEnv = try run(Binaries.discotop, ["list", "--config", config], environment: environment(["BEYLA_OPEN_PORT": "80-"]))
        #expect(badEnv.status == 2)
        #expect(badEnv.stderr.hasPrefix("discotop: BEYLA_OPEN_PORT: invalid port range \"80-\""))
    }

    @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
    func watchNamesTheSelectorAndAChildInheritsOnceOldEnough() throws {
        let watch = try StreamingProcess(
            Binaries.discotop, ["watch", "--json", "--config", config], environment: environment(["BEYLA_MIN_PROCESS_AGE": "2s"]))
        #expect(watch.waitForMode()?["mode"] as? String == "ebpf")
        let started = Date()
        let web = try Helper(script: Scripts.listenerWithChild, arguments: ["47392"])
        let child = try #require(web.pids("children").first)
        let parentLine = try #require(watch.waitForLine { jsonObject($0)?["type"] as? String == "matched" && jsonObject($0)?["pid"] as? Int == Int(web.pid) })
        #expect(jsonObject(parentLine)?["selectors"] as? [String] == ["web", "instrument[3]"])
        #expect(jsonObject(parentLine)?["service_name"] as? String == "web")
        // Between fork and exec the child is python3 holding the listener and may match on its
        // own for a moment; after exec it is `sleep` with no socket and inherits, once 2 s old.
        let childLine = try #require(watch.waitForLine(timeout: 10) {
            guard let o = jsonObject($0), o["type"] as? String == "matched", o["pid"] as? Int == Int(child) else { return false }
            return o["match"] as? String == "inherited"
        })
        #expect(Date().timeIntervalSince(started) >= 1.5, "the port-less child waits for min_process_age")
        #expect(jsonObject(childLine)?["comm"] as? String == "sleep")
        #expect(jsonObject(childLine)?["inherited_from"] as? Int == Int(web.pid))
        #expect(watch.stop(SIGINT) == 0)
    }

    /// Port-less matches come from kernel events with eBPF (exec) and from full scans without.
    @Test(arguments: [true, false])
    func watchFindsAPortlessProcessBySelectorAndAChildByInheritance(ebpf: Bool) throws {
        guard !ebpf || Binaries.isRoot else { return print("skipped with eBPF: loading eBPF programs needs root") }
        let probes = try Probes.built.get()
        let mode = ebpf ? ["--sweep-interval", "3600"] : ["--no-ebpf", "--poll-interval", "0.3"]
        let watch = try StreamingProcess(
            Binaries.discotop, ["watch", "--json", "--config", config] + mode, environment: environment(["BEYLA_MIN_PROCESS_AGE": "0s"]))
        #expect(watch.waitForMode() != nil)
        let cee = try Helper(program: probes.namedC, arguments: ["0", "--serve"])
        let web = try Helper(script: Scripts.listenerWithChild, arguments: ["47392"])
        let child = try #require(web.pids("children").first)
        func matched(_ pid: Int32, _ match: String) -> [String: Any]? {
            watch.waitForLine(timeout: 10) { line in
                guard let o = jsonObject(line), o["type"] as? String == "matched", o["pid"] as? Int == Int(pid) else { return false }
                return o["match"] as? String == match
            }.flatMap(jsonObject)
        }
        let ceeLine = try #require(matched(cee.pid, "matched"))
        #expect(ceeLine["selectors"] as? [String] == ["cee"])
        #expect((ceeLine["ports"] as? [Any])?.isEmpty == true)
        let childLine = try #require(matched(child, "inherited"))
        #expect(childLine["inherited_from"] as? Int == Int(web.pid))
        #expect(watch.stop(SIGINT) == 0)
    }
} }

