import Foundation
import Glibc
import Testing

/// `discotop watch` as a script would run it.
extension SystemTests {
    @Suite struct WatchCommandTests {
        func ready(_ watch: StreamingProcess) -> Bool {
            watch.waitForMode() != nil
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func reportsAListenerAsMatchedWithItsPortsAndEndsCleanlyOnSIGINT() throws {
            let base = TestPorts.free()
            let watch = try StreamingProcess(Binaries.discotop, ["watch", "--json", "-p", "\(base)-\(base + 3)"])
            #expect(ready(watch))
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            // `matched` comes as soon as the first port listens and again as each new port
            // does; wait for the one that lists all four.
            let matched = try #require(watch.waitForLine { line in
                guard let o = jsonObject(line), o["type"] as? String == "matched" else { return false }
                return o["pid"] as? Int == Int(helper.pid) && (o["ports"] as? [Any])?.count == 4
            })
            let object = try #require(jsonObject(matched))
            let ports = try #require(object["ports"] as? [[String: Any]])
            #expect(Set(ports.compactMap { $0["port"] as? Int }) == Set((0...3).map { Int(base) + $0 }))
            #expect(object["criteria"] as? String == "open_ports=\(base)-\(base + 3)")
            #expect((object["time"] as? String)?.hasSuffix("Z") == true)
            let listen = watch.waitForLine { line in
                guard let o = jsonObject(line) else { return false }
                return o["type"] as? String == "listen" && o["pid"] as? Int == Int(helper.pid) && o["port"] as? Int == Int(base)
            }
            #expect(listen.flatMap(jsonObject)?["address"] as? String == "127.0.0.1")
            #expect(listen.flatMap(jsonObject)?["comm"] as? String == "python3")
            #expect(watch.stop(SIGINT) == 0)
            #expect(watch.collected.allSatisfy { jsonObject($0) != nil }, "every line is one JSON object")
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func exitOfAMatchedProcessIsDeletedAndUnmatched() throws {
            let base = TestPorts.free()
            let watch = try StreamingProcess(Binaries.discotop, ["watch", "--json", "-p", "\(base)"])
            #expect(ready(watch))
            var helper: Helper? = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let pid = Int(helper!.pid)
            #expect(watch.waitForLine { jsonObject($0)?["type"] as? String == "matched" && jsonObject($0)?["pid"] as? Int == pid } != nil)
            helper = nil
            var times: [String: String] = [:]
            for type in ["exit", "deleted", "unmatched"] {
                let line = watch.waitForLine(timeout: 5) { jsonObject($0)?["type"] as? String == type && jsonObject($0)?["pid"] as? Int == pid }
                #expect(line != nil, "\(type)")
                times[type] = line.flatMap(jsonObject)?["time"] as? String
            }
            // What the exit caused carries the kernel's time of the exit, not the time it was printed.
            #expect(times["deleted"] != nil && times["deleted"] == times["exit"])
            #expect(times["unmatched"] == times["exit"])
            #expect(watch.stop(SIGTERM) == 0)
        }

        @Test func noEBPFPollsAndSaysSoInOneLine() throws {
            let watch = try StreamingProcess(Binaries.discotop, ["watch", "--json", "--no-ebpf", "--poll-interval", "0.2"])
            let line = watch.waitForLine { jsonObject($0)?["code"] as? String == "mode" }
            #expect(line.flatMap(jsonObject)?["message"] as? String == "mode poll 0.2s: --no-ebpf")
            #expect(watch.stop(SIGTERM) == 0)
        }

        @Test(.enabled(if: Binaries.isRoot, "dropping to an unprivileged user needs root to start with"))
        func withoutRootTheLoadFailsAndWatchPollsWithTheReason() throws {
            let watch = try StreamingProcess(
                "/usr/bin/setpriv", Binaries.asNobody(["watch", "--poll-interval", "0.5"]))
            let line = watch.waitForLine(timeout: Timeouts.startup) { $0.contains("INFO") && $0.contains("mode poll") }
            #expect(line?.contains("missing CAP_BPF and CAP_PERFMON") == true, "\(watch.collected)")
            #expect(watch.stop(SIGINT) == 0)
        }

        @Test(arguments: [["--bind-hook", "magic"], ["--poll-interval", "0"], ["-p", "80-"], ["--sweep-interval", "-1"], ["--sweep-interval=-1"], ["--frobnicate"]])
        func badOptionsExitWithStatus2(arguments: [String]) throws {
            let result = try run(Binaries.discotop, ["watch"] + arguments)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("discotop:"))
        }
    }
}
