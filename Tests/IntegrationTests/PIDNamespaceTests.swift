import Engine
import Foundation
import Glibc
import Testing

/// discotop in a pid namespace of its own (a container started without --pid=host). eBPF
/// names processes by their host pids, which mean nothing in this namespace's /proc, so the
/// eBPF paths step aside with their reason and the /proc scan reports what the namespace holds.
extension SystemTests {
    @Suite(.enabled(if: Capabilities.current.has(.sysAdmin) && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
                    "needs CAP_SYS_ADMIN for unshare -p"))
    struct PIDNamespaceTests {
        /// `discotop ARGS` as pid 1 of a new pid namespace (with its own /proc), after a python
        /// listener on `port` started in the same namespace.
        static func inNewNamespace(_ arguments: [String], port: UInt16) -> [String] {
            let listener = "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
                + "s.bind(('127.0.0.1', \(port))); s.listen(); print('up', flush=True); time.sleep(30)"
            let command = ([Binaries.discotop] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let script = "python3 -c \"\(listener)\" > /dev/null & sleep 0.5; exec \(command)"
            return ["--pid", "--fork", "--mount-proc", "sh", "-c", script]
        }

        @Test func listFindsTheNamespacesListenerAndSaysWhyEBPFStepsAside() throws {
            let port = TestPorts.free()
            let result = try run("/usr/bin/unshare", Self.inNewNamespace(["list", "--json", "-p", "\(port)"], port: port), timeout: 20)
            #expect(result.status == 0, "\(result.stderr)")
            let output = try ListOutput.decode(result.stdout)
            let process = try #require(output.processes.first { $0.ports?.contains { $0.port == port } == true }, "\(result.stdout)")
            #expect(process.comm == "python3")
            // Pids as this namespace numbers them: the shell that became discotop is 1.
            #expect(process.pid < 100, "\(process.pid)")
            #expect(result.stderr.contains("pid namespace of its own"), "\(result.stderr)")
        }

        @Test func watchFallsBackToPollingWithTheReasonInItsModeLine() throws {
            let port = TestPorts.free()
            let watch = try StreamingProcess("/usr/bin/unshare", Self.inNewNamespace(["watch", "--json", "-p", "\(port)"], port: port))
            let mode = try #require(watch.waitForMode(), "\(watch.collected.suffix(10))")
            #expect(mode["mode"] as? String != "ebpf", "\(mode)")
            #expect((mode["message"] as? String ?? "").contains("pid namespace of its own"), "\(mode)")
            let matched = watch.waitForLine(timeout: 10) { line in
                guard let o = jsonObject(line), o["type"] as? String == "matched" else { return false }
                return o["comm"] as? String == "python3"
            }
            #expect(matched != nil, "\(watch.collected.suffix(10))")
            // unshare --fork ignores SIGINT while it waits: the interrupt goes to discotop itself
            // (its only child), and unshare then exits with discotop's status.
            let children = (try? String(contentsOfFile: "/proc/\(watch.process.processIdentifier)/task/\(watch.process.processIdentifier)/children", encoding: .utf8)) ?? ""
            let discotop = try #require(children.split(separator: " ").first.flatMap { Int32($0) }, "no child of unshare")
            kill(discotop, SIGINT)
            #expect(watch.stop(SIGINT) == 0)
        }
    }
}
