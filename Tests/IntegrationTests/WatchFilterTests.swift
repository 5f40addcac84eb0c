import Foundation
import Glibc
import Testing

/// `watch` prints what concerns its criteria, and every text line keeps the header's columns.
extension SystemTests {
    @Suite struct WatchFilterTests {
        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func criteriaLeaveOutEventsAboutOtherPortsAndProcessesAndAllKeepsThem() throws {
            let base = TestPorts.freeRange(count: 8)
            let watch = try StreamingProcess(Binaries.discotop, ["watch", "--json", "-p", "\(base)"])
            let all = try StreamingProcess(Binaries.discotop, ["watch", "--json", "--all", "-p", "\(base)"])
            #expect(watch.waitForMode() != nil && all.waitForMode() != nil)
            let other = try Helper(script: Scripts.listeners, arguments: [String(base + 4)])
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            func about(_ pid: Int32, _ type: String) -> (String) -> Bool {
                { jsonObject($0)?["type"] as? String == type && jsonObject($0)?["pid"] as? Int == Int(pid) }
            }
            // The matched helper's own sockets on other ports are part of its life: shown.
            #expect(watch.waitForLine { line in
                guard let o = jsonObject(line) else { return false }
                return o["type"] as? String == "listen" && o["pid"] as? Int == Int(helper.pid) && o["port"] as? Int == Int(base + 1)
            } != nil)
            #expect(all.waitForLine(about(other.pid, "listen")) != nil, "--all shows the process the criteria leave out")
            #expect(all.waitForLine(about(other.pid, "created")) != nil)
            #expect(watch.waitForLine(about(helper.pid, "matched")) != nil)
            #expect(watch.stop(SIGINT) == 0)
            #expect(all.stop(SIGINT) == 0)
            let shown = watch.collected.compactMap(jsonObject)
            #expect(!shown.contains { $0["pid"] as? Int == Int(other.pid) }, "\(shown.filter { $0["pid"] as? Int == Int(other.pid) })")
            // Nothing about a port outside the criteria unless the matched helper holds it.
            let strays = shown.filter { o in
                guard let port = o["port"] as? Int, o["type"] as? String != "info" else { return false }
                return port != Int(base) && o["pid"] as? Int != Int(helper.pid)
            }
            #expect(strays.isEmpty, "\(strays)")
            // Kernel events join to processes: start_time and uid as in the process objects.
            let listen = try #require(shown.first { $0["type"] as? String == "listen" && $0["pid"] as? Int == Int(helper.pid) })
            let matched = try #require(shown.first { $0["type"] as? String == "matched" && $0["pid"] as? Int == Int(helper.pid) })
            #expect(listen["start_time"] as? Int == matched["start_time"] as? Int)
            #expect(listen["uid"] as? Int == matched["uid"] as? Int)
            #expect(listen["started_at"] as? String == matched["started_at"] as? String)
        }

        @Test func aProcessThatGainsAPortIsChangedWithBothPortSetsNotCreatedAgain() throws {
            let base = TestPorts.freeRange(count: 2)
            let watch = try StreamingProcess(Binaries.discotop, ["watch", "--json", "--no-ebpf", "--poll-interval", "0.2", "-p", "\(base)-\(base + 1)"])
            #expect(watch.waitForMode() != nil)
            let helper = try Helper(script: Scripts.growsAPort, arguments: [String(base)])
            let changed = try #require(watch.waitForLine { jsonObject($0)?["type"] as? String == "changed" && jsonObject($0)?["pid"] as? Int == Int(helper.pid) })
            let object = try #require(jsonObject(changed))
            func ports(_ key: String) -> Set<Int> { Set((object[key] as? [[String: Any]] ?? []).compactMap { $0["port"] as? Int }) }
            #expect(ports("old_ports") == [Int(base)])
            #expect(ports("ports") == [Int(base), Int(base) + 1])
            // Matched again with the new port, as Beyla's second create announces it.
            #expect(watch.waitForLine { line in
                guard let o = jsonObject(line), o["type"] as? String == "matched", o["pid"] as? Int == Int(helper.pid) else { return false }
                return (o["ports"] as? [Any])?.count == 2
            } != nil)
            #expect(watch.stop(SIGTERM) == 0)
            let created = watch.collected.compactMap(jsonObject).filter { $0["type"] as? String == "created" && $0["pid"] as? Int == Int(helper.pid) }
            #expect(created.count == 1)
        }

        @Test func everyTextLineKeepsTheHeadersColumns() throws {
            let base = TestPorts.freeRange(count: 2)
            let watch = try StreamingProcess(Binaries.discotop, ["watch", "--no-ebpf", "--poll-interval", "0.2", "-p", "\(base)-\(base + 1)"])
            let helper = try Helper(script: Scripts.growsAPort, arguments: [String(base)])
            for type in ["CREATED", "MATCHED", "CHANGED"] {
                #expect(watch.waitForLine { $0.contains(" \(type) ") && $0.contains(" \(helper.pid) ") } != nil, "\(type)")
            }
            #expect(watch.stop(SIGTERM) == 0)
            let lines = watch.collected
            let header = try #require(lines.first)
            let detail = try #require(header.range(of: "RESULT / DETAIL")).lowerBound
            let width = header.distance(from: header.startIndex, to: detail)
            let seen = Set(lines.dropFirst().compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) })
            #expect(seen.isSuperset(of: ["INFO", "CREATED", "MATCHED", "CHANGED"]), "\(seen)")
            for line in lines.dropFirst() where line.count > width {
                // Seven cells before the detail (comm has no spaces here), and the detail starts
                // where the header says.
                let head = line.prefix(width)
                #expect(head.split(separator: " ").count == 7, "\(line)")
                #expect(head.last == " " && line[line.index(line.startIndex, offsetBy: width)] != " ", "\(line)")
            }
        }
    }
}
