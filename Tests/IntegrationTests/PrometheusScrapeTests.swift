import Foundation
import Glibc
import Testing

/// A real Prometheus scraping a real `discotop serve`.
extension SystemTests {
    @Suite struct PrometheusScrapeTests {
        @Test(.enabled(if: PrometheusServer.isInstalled, "make test installs Debian's prometheus"))
        func aListenerAppearsInPrometheusAndGoesAwayAfterItExits() throws {
            let port = TestPorts.free()
            let agent = try Agent(["--poll-interval", "0.5"])
            #expect(agent.waitUntilReady())
            let prometheus = try PrometheusServer(scraping: agent.port)
            #expect(prometheus.waitFor("up{job=\"discotop\"}") { $0.contains { ($0["value"] as? [Any])?.last as? String == "1" } }, "scraped")
            var helper: Helper? = try Helper(script: Scripts.listeners, arguments: [String(port)])
            let pid = helper!.pid
            let series = "discotop_listening_socket_info{port=\"\(port)\",proto=\"tcp\",family=\"ipv4\"}"
            #expect(prometheus.waitFor(series) { result in
                result.contains { ($0["metric"] as? [String: String])?["pid"] == String(pid) && ($0["metric"] as? [String: String])?["address"] == "127.0.0.1" }
            }, "the listener's series appears")
            #expect(prometheus.waitFor("discotop_process_info{pid=\"\(pid)\"}") { $0.count == 1 })
            helper = nil
            // Gone from the next scrape, and so stale in Prometheus: no series left behind.
            #expect(prometheus.waitFor(series) { $0.isEmpty }, "the listener's series goes away")
            #expect(prometheus.waitFor("discotop_process_info{pid=\"\(pid)\"}") { $0.isEmpty })
            #expect(prometheus.waitFor("discotop_full_scans_total") { !$0.isEmpty })
            #expect(agent.stop() == 0)
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "make test installs Debian's prometheus (promtool)"))
        func metricsPassPromtoolWithAndWithoutPerProcessSeries() throws {
            for extra in [[], ["--no-process-series"]] {
                let agent = try Agent(["--no-ebpf", "-p", "1-65535"] + extra)
                #expect(agent.waitUntilReady())
                let reply = try #require(agent.get("/metrics"))
                #expect(reply.status == 200)
                #expect(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-metrics-\(UUID().uuidString)")
                try Data(reply.body).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let check = try run("/bin/sh", ["-c", "/usr/bin/promtool check metrics < '\(file.path)'"])
                #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
                let names = Set(reply.text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] })
                var expected: Set<Substring> = [
                    "discotop_build_info", "discotop_mode_info", "discotop_listening_processes", "discotop_matched_processes",
                    "discotop_kernel_events_total", "discotop_lost_events_total", "discotop_full_scans_total",
                    "discotop_full_scan_duration_seconds", "discotop_discovery_latency_seconds",
                ]
                if extra.isEmpty { expected.formUnion(["discotop_process_info", "discotop_listening_socket_info"]) }
                #expect(names == expected)
                #expect(agent.stop() == 0)
            }
        }
    }
}
