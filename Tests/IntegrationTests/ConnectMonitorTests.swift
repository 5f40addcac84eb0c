import Foundation
import Glibc
import Testing

/// The monitor attached to real agents through tmux: one node, then two merged with NODE.
extension SystemTests {
    @Suite struct ConnectMonitorTests {
        /// The pane's lines below its title, up to the next pane's title.
        func pane(_ screen: String, _ title: String) -> [String] {
            let all = MonitorScreen.lines(screen)
            guard let index = all.firstIndex(where: { $0.contains(" \(title) (") }) else { return [] }
            let rest = all[(index + 1)...]
            let end = rest.firstIndex { line in ["Bind events (", "Processes (", "Matched ("].contains { line.contains(" \($0)") } } ?? all.endIndex
            return Array(all[(index + 1)..<end])
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func theMonitorShowsOneAgentsPanesInspectAndReFiltersHere() throws {
            let base = TestPorts.freeRange(count: 4)
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let agent = try Agent(["-p", String(base)])
            #expect(agent.waitUntilReady())
            let pid = String(helper.pid)
            let tmux = try TmuxSession(command: "\(Binaries.discotop) --no-config --connect :\(agent.port) --timeout 60", width: 160, height: 40)
            let hostname = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
            let seen = tmux.wait(timeout: 90) { screen in pane(screen, "Matched").contains { $0.hasPrefix(pid + " ") && $0.contains("\(base)/tcp") } }
            #expect(seen.ok, "\(seen.screen)")
            let header = MonitorScreen.lines(seen.screen).first ?? ""
            #expect(header.contains("node \(hostname) (127.0.0.1:\(agent.port))") && header.contains("agent criteria open_ports=\(base)"), "\(header)")
            // One node: no NODE column.
            #expect(!seen.screen.contains("NODE "), "\(seen.screen)")
            // Inspect: the details come from the agent.
            tmux.send("Tab")
            #expect(tmux.wait { $0.contains(">  Matched (") }.ok)
            tmux.send("Enter")
            let inspect = tmux.wait(timeout: 30) { $0.contains("Inspect pid \(pid)") && $0.contains("cmdline") && $0.contains("python3") }
            #expect(inspect.ok, "\(inspect.screen)")
            tmux.send("Escape")
            // The range prompt re-filters here: the agent's criteria stay its own.
            usleep(200_000)
            tmux.send("/")
            tmux.send("C-u")
            tmux.type(String(base + 1))
            tmux.send("Enter")
            let refiltered = tmux.wait(timeout: 30) { screen in
                MonitorScreen.lines(screen).first?.contains("ports \(base + 1) (here)") == true && pane(screen, "Matched").contains { $0.hasPrefix(pid + " ") }
            }
            #expect(refiltered.ok, "\(refiltered.screen)")
            let still = try run(Binaries.discotop, ["list", "--json", "--connect", ":\(agent.port)", "--timeout", "60"], timeout: 120)
            #expect(jsonObject(still.stdout)?["criteria"] as? String == "open_ports=\(base)", "the agent's criteria are unchanged")
            // Signals are this machine's business, not the agents'.
            tmux.send("F9")
            #expect(tmux.wait { $0.contains("signals are off: these are the agents' processes") }.ok)
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
            #expect(agent.stop() == 0)
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func theRangePromptSetsTheCriteriaOfAnAgentThatAllowsIt() throws {
            let base = TestPorts.freeRange(count: 4)
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let agent = try Agent(["-p", String(base + 2), "--allow-remote-criteria"])
            #expect(agent.waitUntilReady())
            let tmux = try TmuxSession(command: "\(Binaries.discotop) --no-config --connect :\(agent.port) --timeout 60", width: 160, height: 40)
            let first = tmux.wait(timeout: 60) { screen in MonitorScreen.lines(screen).first?.contains("agent criteria open_ports=\(base + 2)") == true }
            #expect(first.ok, "\(first.screen)")
            tmux.send("/")
            tmux.send("C-u")
            tmux.type(String(base))
            tmux.send("Enter")
            let taken = tmux.wait(timeout: 30) { screen in
                MonitorScreen.lines(screen).first?.contains("ports \(base) (on the agent)") == true
                    && pane(screen, "Matched").contains { $0.hasPrefix("\(helper.pid) ") }
            }
            #expect(taken.ok, "\(taken.screen)")
            #expect(agent.get("/v1/criteria")?.text == "open_ports=\(base)\n")
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
            #expect(agent.stop() == 0)
        }

        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func twoAgentsWithTheirOwnCriteriaMergeWithANodeColumn() throws {
            let first = TestPorts.freeRange(count: 4)
            var second = TestPorts.freeRange(count: 4)
            while abs(Int(second) - Int(first)) < 4 { second = TestPorts.freeRange(count: 4) }
            let one = try Helper(script: Scripts.listeners, arguments: [String(first)])
            let two = try Helper(script: Scripts.listeners, arguments: [String(second)])
            let agentA = try Agent(["-p", String(first)])
            let agentB = try Agent(["-p", String(second)])
            #expect(agentA.waitUntilReady() && agentB.waitUntilReady())
            let tmux = try TmuxSession(
                command: "\(Binaries.discotop) --no-config --connect :\(agentA.port) --connect http://127.0.0.1:\(agentB.port)/ --timeout 60", width: 160, height: 40)
            // Both agents run here, so each node is named by its address; each matched only its own.
            let nodeA = "127.0.0.1:\(agentA.port)"
            let nodeB = "127.0.0.1:\(agentB.port)"
            let merged = tmux.wait(timeout: 90) { screen in
                let matched = pane(screen, "Matched")
                return matched.contains { $0.hasPrefix(nodeA) && $0.contains(" \(one.pid) ") && $0.contains("\(first)/tcp") }
                    && matched.contains { $0.hasPrefix(nodeB) && $0.contains(" \(two.pid) ") && $0.contains("\(second)/tcp") }
            }
            #expect(merged.ok, "\(merged.screen)")
            let matched = pane(merged.screen, "Matched")
            #expect(matched.first?.hasPrefix("NODE ") == true, "\(matched)")
            #expect(!matched.contains { $0.hasPrefix(nodeA) && $0.contains(" \(two.pid) ") }, "A's criteria do not pick B's listener")
            #expect(MonitorScreen.lines(merged.screen).first?.contains("2 nodes: \(nodeA), \(nodeB) | agents' own criteria") == true, "\(merged.screen)")
            // A listener that starts now: both agents see its bind, and the Bind events pane says which saw which.
            let late = TestPorts.free()
            let fresh = try Helper(script: Scripts.listeners, arguments: [String(late)])
            let events = tmux.wait(timeout: 30) { screen in
                let rows = pane(screen, "Bind events")
                // Its four sockets make eight events for two agents: which of them fit the pane varies.
                // By fields: the PID column pads to its width, so the spaces between depend on the pid.
                return [nodeA, nodeB].allSatisfy { node in
                    rows.contains { row in
                        let fields = row.split(separator: " ")
                        return fields.first.map(String.init) == node && fields.contains("\(fresh.pid)") && fields.contains("python3")
                    }
                }
            }
            #expect(events.ok, "\(events.screen)")
            #expect(pane(events.screen, "Bind events").first?.hasPrefix("NODE ") == true, "\(pane(events.screen, "Bind events"))")
            _ = fresh
            // One agent gone: its node says so, the other goes on.
            #expect(agentB.stop() == 0)
            let gone = tmux.wait(timeout: 30) { MonitorScreen.lines($0).first?.contains("\(nodeB): cannot connect") == true }
            #expect(gone.ok, "\(gone.screen)")
            tmux.send("q")
            #expect(tmux.wait { $0.contains("EXIT=0") }.ok)
            #expect(agentA.stop() == 0)
        }
    }
}
