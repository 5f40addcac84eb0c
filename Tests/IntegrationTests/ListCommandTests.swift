import Foundation
import Glibc
import Testing

/// Every test that starts processes or compares the whole system's listeners lives under this
/// one serialized suite: a helper started by one test would otherwise show up in another's
/// comparison with `ss` or between two scans.
@Suite(.serialized) enum SystemTests {}

/// `discotop list` against real sockets held by real processes.
extension SystemTests { @Suite struct ListCommandTests {
    /// Every process, matched or not (`--all`): these tests look at the ones criteria leave out too.
    func list(_ arguments: String...) throws -> ListOutput {
        let result = try run(Binaries.discotop, ["list", "--json", "--all"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try ListOutput.decode(result.stdout)
    }

    func expectedPorts(base: UInt16, v4: String = "127.0.0.1", v6: String = "::1") -> Set<ListOutput.Port> {
        [
            .init(proto: "tcp", family: "ipv4", address: v4, port: base),
            .init(proto: "tcp", family: "ipv6", address: v6, port: base + 1),
            .init(proto: "udp", family: "ipv4", address: v4, port: base + 2),
            .init(proto: "udp", family: "ipv6", address: v6, port: base + 3),
        ]
    }

    @Test func findsExactlyTheListenersOfAProcessAndNotItsClientPorts() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
        let output = try list()
        let process = try #require(output.process(helper.pid))
        #expect(Set(process.ports ?? []) == expectedPorts(base: base))
        #expect(process.ports?.count == 4)
        #expect(process.comm == "python3")
        #expect(process.exe?.contains("python3") == true)
        #expect(process.ports_known)
        #expect(process.start_time > 0)
    }

    @Test func socketSharedWithAForkedChildIsListedUnderEachPID() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "fork"])
        let child = try #require(helper.pids("children").first)
        let output = try list()
        let parentPorts = try #require(output.process(helper.pid)?.ports)
        let childPorts = try #require(output.process(child)?.ports)
        #expect(Set(parentPorts) == expectedPorts(base: base))
        #expect(Set(childPorts) == Set(parentPorts))
    }

    @Test func processWithOnlyOutgoingConnectionsShowsNoPorts() throws {
        let port = TestPorts.free()
        let helper = try Helper(script: Scripts.outgoingOnly, arguments: [String(port)])
        let client = try #require(helper.pids("client").first)
        let output = try list()
        #expect(output.process(helper.pid)?.ports?.map(\.port) == [port])
        #expect(output.process(client) == nil)
    }

    @Test(.enabled(if: Binaries.isRoot, "entering another network namespace needs root"))
    func listenerInAnotherNetworkNamespaceIsFound() throws {
        let base = TestPorts.free()
        let helper = try Helper(
            script: Scripts.listeners, arguments: [String(base), "wildcard"], prefix: ["/usr/bin/unshare", "--net"])
        let output = try list()
        let process = try #require(output.process(helper.pid))
        let own = try #require(ownNetns())
        #expect(process.netns != own)
        #expect(Set(process.ports ?? []) == expectedPorts(base: base, v4: "0.0.0.0", v6: "::"))
        #expect(output.scan.namespaces >= 1)
    }

    @Test func agreesWithSsOnEveryListeningSocket() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "fork"])
        let ss = try run("/usr/bin/ss", ["-tulnpH"])
        let output = try list()
        let own = ownNetns()
        let ours = Set(output.processes.filter { $0.netns == own }.flatMap { p in (p.ports ?? []).map { SsEntry(pid: p.pid, proto: $0.proto, port: $0.port) } })
        let theirs = SsEntry.parse(ss.stdout)
        #expect(ours == theirs)
        #expect(ours.contains(SsEntry(pid: helper.pid, proto: "udp", port: base + 3)))
    }

    @Test func iteratorNetlinkAndProcNetGiveTheSameAnswer() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "fork"])
        let iterator = try list()
        let netlink = try list("--no-ebpf")
        let procNet = try list("--proc-net")
        #expect(iterator.scan.source == (Binaries.isRoot ? "bpf-iterator" : "netlink"))
        #expect(netlink.scan.source == "netlink")
        #expect(procNet.scan.source == "proc-net")
        func key(_ o: ListOutput) -> Set<String> {
            Set(o.processes.flatMap { p in (p.ports ?? []).map { "\(p.pid) \(p.start_time) \($0.proto) \($0.family) \($0.address) \($0.port)" } })
        }
        #expect(key(iterator) == key(netlink))
        #expect(key(netlink) == key(procNet))
        #expect(netlink.process(helper.pid) != nil)
    }

    @Test(.enabled(if: Binaries.isRoot, "the BPF iterator needs root"))
    func aListenerWithNoVisibleOwnerIsCountedAlikeByEveryScanPath() throws {
        let port = TestPorts.free()
        let helper = try Helper(script: Scripts.inFlightListener, arguments: [String(port)])
        // Other programs on this machine open and close sockets between the three scans: the
        // counts must agree in some quiet moment (the iterator used to count 0 every time).
        var scans: [ListOutput] = []
        for _ in 0..<5 {
            scans = [try list(), try list("--no-ebpf"), try list("--proc-net")]
            if Set(scans.map(\.scan.unowned_sockets)).count == 1 { break }
        }
        #expect(scans[0].scan.source == "bpf-iterator")
        #expect(scans[0].scan.unowned_sockets >= 1)
        #expect(Set(scans.map(\.scan.unowned_sockets)).count == 1, "\(scans.map(\.scan.unowned_sockets))")
        for output in scans {
            #expect(!output.processes.contains { ($0.ports ?? []).contains { $0.port == port } })
            #expect(output.process(helper.pid) == nil)
        }
    }

    @Test func criteriaMarkMatchingProcessesAndSayWhy() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
        let output = try list("-p", "\(base + 2)", "--exe-path", "python")
        let process = try #require(output.process(helper.pid))
        #expect(process.matched)
        #expect(process.match_reasons?.first == "open_ports \(base + 2)")
        let miss = try list("-p", "\(base + 2)", "--exe-path", "^nginx$")
        #expect(miss.process(helper.pid)?.matched == false)
    }

    @Test func criteriaListOnlyWhatMatchesAndExitOneWhenNothingDoesAsGrep() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
        let other = try Helper(script: Scripts.listeners, arguments: [String(TestPorts.free())])
        let table = try run(Binaries.discotop, ["list", "-p", String(base)])
        #expect(table.status == 0, "\(table.stderr)")
        let rows = table.stdout.split(separator: "\n").dropFirst()
        #expect(rows.map { $0.prefix { $0 != " " } } == ["\(helper.pid)"])
        let json = try run(Binaries.discotop, ["list", "--json", "-p", String(base)])
        #expect(try ListOutput.decode(json.stdout).processes.map(\.pid) == [helper.pid])
        let all = try run(Binaries.discotop, ["list", "--all", "-p", String(base)])
        #expect(all.status == 0)
        #expect(all.stdout.split(separator: "\n").first?.hasSuffix("MATCH") == true)
        #expect(all.stdout.contains("\n\(other.pid) "))
        // A port the kernel just found free: nobody listens there.
        let free = String(TestPorts.free())
        let unused = try run(Binaries.discotop, ["list", "-p", free])
        #expect(unused.status == 1)
        #expect(unused.stdout.isEmpty)
        let unusedJSON = try run(Binaries.discotop, ["list", "--json", "-p", free])
        #expect(unusedJSON.status == 1)
        #expect(try ListOutput.decode(unusedJSON.stdout).processes.isEmpty)
    }

    @Test(arguments: ["1a", "33,", "9000-8000", "0", "70000", "12,-13", "", " "])
    func badRangeExitsWithStatus2AndNamesTheItem(range: String) throws {
        let result = try run(Binaries.discotop, ["list", "-p", range])
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid port range \"\(range)\""))
        #expect(result.stdout.isEmpty)
    }

    @Test func blankPortRangeSaysNoPortsWereGiven() throws {
        let result = try run(Binaries.discotop, ["list", "-p", ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no ports given"), "\(result.stderr)")
    }

    @Test func leadingZerosInAPortAreAccepted() throws {
        let result = try run(Binaries.discotop, ["list", "--json", "--all", "-p", "001984,0080-00090"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""criteria":"open_ports=80-90,1984""#))
    }

    @Test func badRegexExitsWithStatus2() throws {
        let result = try run(Binaries.discotop, ["list", "--exe-path", "(unclosed"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid regular expression \"(unclosed\""))
    }

    @Test func textTableHasOneRowPerProcessAndMarksMatches() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
        let result = try run(Binaries.discotop, ["list", "-p", String(base)])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("PID") == true)
        let row = try #require(lines.first { $0.hasPrefix("\(helper.pid) ") })
        #expect(row.contains("127.0.0.1:\(base)/tcp") && row.contains("[::1]:\(base + 1)/tcp") && row.hasSuffix("MATCH command line"))
    }

    @Test func hostileProcessNameStaysValidJSONAndNeverReachesTheTerminalRaw() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base), "evilname"])
        let output = try list()
        let process = try #require(output.process(helper.pid))
        #expect(process.comm == "\u{1B}[2J\"\u{FFFD}\\x")
        // The byte that is not UTF-8 is lost in `comm` but kept in `comm_bytes`.
        #expect(process.comm_bytes.flatMap { Data(base64Encoded: $0) } == Data([0x1B] + Array("[2J\"".utf8) + [0xFF] + Array("\\x".utf8)))
        #expect(process.exe_bytes == nil)
        let table = try run(Binaries.discotop, ["list"])
        let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("\(helper.pid) ") })
        #expect(!row.contains("\u{1B}"))
        #expect(row.contains("\\x1b[2J"))
    }

    @Test(.enabled(if: Binaries.isRoot, "dropping to an unprivileged user needs root to start with"))
    func unprivilegedListShowsUnknownPortsNotNone() throws {
        let base = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
        let result = try run("/usr/bin/setpriv", Binaries.asNobody(["list", "--json"]))
        #expect(result.status == 0, "\(result.stderr)")
        let output = try ListOutput.decode(result.stdout)
        let process = try #require(output.process(helper.pid))
        #expect(process.ports == nil)
        #expect(!process.ports_known)
        #expect(output.scan.denied_pids.contains(helper.pid))
        let notes = result.stderr.split(separator: "\n").filter { $0.contains("permission denied") }
        #expect(notes.count == 1)
    }

    @Test(.enabled(if: Binaries.isRoot, "dropping to an unprivileged user needs root to start with"))
    func unprivilegedListLeavesKernelThreadsOutAndCountsThem() throws {
        // A listener nobody cannot attribute: processes nobody cannot look into are then listed
        // with unknown ports, which is where kernel threads showed up.
        let helper = try Helper(script: Scripts.listeners, arguments: [String(TestPorts.free())])
        let threads = kernelThreadPIDs()
        try #require(!threads.isEmpty, "this machine shows no kernel threads in /proc")
        let json = try run("/usr/bin/setpriv", Binaries.asNobody(["list", "--json"]))
        #expect(json.status == 0, "\(json.stderr)")
        let output = try ListOutput.decode(json.stdout)
        #expect(output.process(helper.pid)?.ports_known == false)
        #expect(Set(output.processes.map(\.pid)).isDisjoint(with: threads))
        #expect(Set(output.scan.denied_pids).isDisjoint(with: threads))
        let counted = try #require(output.scan.denied_kernel_threads)
        #expect(counted > 0)
        #expect(json.stderr.contains("\(counted) kernel threads are left out: they hold no sockets."), "\(json.stderr)")
        let table = try run("/usr/bin/setpriv", Binaries.asNobody(["list"]))
        let rows = table.stdout.split(separator: "\n").dropFirst().compactMap { Int32($0.prefix { $0 != " " }) }
        #expect(Set(rows).isDisjoint(with: threads))
    }
} }

struct SsEntry: Hashable {
    var pid: Int32
    var proto: String
    var port: UInt16

    /// `ss -tulnpH`: `tcp LISTEN 0 128 127.0.0.1:8080 0.0.0.0:* users:(("python3",pid=1,fd=3),...)`.
    static func parse(_ text: String) -> Set<SsEntry> {
        var entries = Set<SsEntry>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, let colon = fields[4].lastIndex(of: ":"),
                  let port = UInt16(fields[4][fields[4].index(after: colon)...]) else { continue }
            let proto = String(fields[0])
            for part in line.split(separator: "pid=").dropFirst() {
                if let pid = Int32(part.prefix { $0.isNumber }) { entries.insert(SsEntry(pid: pid, proto: proto, port: port)) }
            }
        }
        return entries
    }
}

func ownNetns() -> UInt64? {
    guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net") else { return nil }
    return UInt64(link.drop { !$0.isNumber }.prefix { $0.isNumber })
}
