import Engine
import Foundation
import Glibc
import Testing

/// `discotop watch` on hosts set up unlike this one: no tracefs (a fresh machine, a minimal VM,
/// Talos), and an unprivileged user with only the capabilities a Kubernetes DaemonSet grants.
/// Each runs the real binary in a private mount namespace (`unshare -m`), so the host's mounts
/// stay as they are.
extension SystemTests {
    @Suite(.enabled(if: Capabilities.current.has(.sysAdmin) && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
                    "needs CAP_SYS_ADMIN for unshare -m"))
    struct PrivilegeAndTracefsTests {
        enum Tracefs {
            /// Unmounted (and debugfs too, whose tracing folder is another way in).
            case absent
            /// Mounted in the private namespace, whatever the host has.
            case mounted
        }

        /// The capabilities of an unprivileged DaemonSet container (what deploy/ grants).
        static let daemonSetCapabilities = ["bpf", "perfmon", "sys_ptrace", "dac_read_search", "sys_admin"]

        /// Starts `discotop ARGS` in a private mount namespace with tracefs as asked, as root or
        /// (with `capabilities`) as user nobody holding exactly those.
        static func watch(_ arguments: [String], tracefs: Tracefs, capabilities: [String]? = nil) throws -> StreamingProcess {
            try StreamingProcess("/usr/bin/unshare", ["-m", "--propagation", "private", "sh", "-c", script(arguments, tracefs: tracefs, capabilities: capabilities)])
        }

        /// The shell line that prepares the namespace and runs discotop in it.
        static func script(_ arguments: [String], tracefs: Tracefs, capabilities: [String]? = nil) -> String {
            let prepare: String
            switch tracefs {
            case .absent:
                prepare = "umount -l /sys/kernel/tracing 2>/dev/null; umount -l /sys/kernel/debug 2>/dev/null; "
                    + "if [ -e /sys/kernel/tracing/events ] || [ -e /sys/kernel/debug/tracing/events ]; then echo tracefs still mounted; exit 97; fi; "
            case .mounted:
                prepare = "[ -e /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing || exit 97; "
            }
            var command = [capabilities == nil ? Binaries.discotop : Binaries.discotopForNobody] + arguments
            if let capabilities {
                let set = capabilities.map { "+\($0)" }.joined(separator: ",")
                let grant = capabilities.isEmpty ? ["--inh-caps=-all"] : ["--inh-caps=\(set)", "--ambient-caps=\(set)"]
                command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + grant + command
            }
            return prepare + "exec " + command.map { "'\($0)'" }.joined(separator: " ")
        }

        static func mode(_ watch: StreamingProcess) -> [String: Any]? {
            watch.waitForMode()
        }

        /// Waits for one event of each kind from the six-kinds workload; returns those missing.
        static func sixKindsArrive(_ watch: StreamingProcess) throws -> (missing: [String], helper: Helper) {
            let port = TestPorts.free()
            let helper = try Helper(script: Scripts.sixKinds, arguments: [String(port)])
            let pid = Int(helper.pid)
            let child = try #require(helper.ready["child"] as? Int)
            let autoPort = try #require(helper.ready["auto_port"] as? Int)
            let wanted: [(String, (([String: Any]) -> Bool))] = [
                ("bind", { $0["pid"] as? Int == pid && $0["port"] as? Int == Int(port) }),
                ("listen", { $0["pid"] as? Int == pid && $0["port"] as? Int == Int(port) }),
                // The auto-bound listen carries the port the kernel picked, not 0.
                ("listen", { $0["pid"] as? Int == pid && $0["port"] as? Int == autoPort }),
                ("close", { $0["pid"] as? Int == pid && $0["port"] as? Int == Int(port) && $0["proto"] as? String == "tcp" }),
                ("close", { $0["pid"] as? Int == pid && $0["proto"] as? String == "udp" }),
                ("fork", { $0["pid"] as? Int == child && $0["ppid"] as? Int == pid }),
                ("exec", { $0["pid"] as? Int == child && $0["comm"] as? String == "true" }),
                ("exit", { $0["pid"] as? Int == child }),
            ]
            var missing: [String] = []
            for (type, predicate) in wanted {
                let line = watch.waitForLine(timeout: 5) { line in
                    guard let o = jsonObject(line), o["type"] as? String == type else { return false }
                    return predicate(o)
                }
                if line == nil { missing.append(type) }
            }
            return (missing, helper)
        }

        @Test func withoutTracefsEveryEventKindArrivesInEBPFMode() throws {
            let watch = try Self.watch(["watch", "--json", "--all", "--sweep-interval", "3600"], tracefs: .absent)
            let mode = try #require(Self.mode(watch), "\(watch.collected)")
            #expect(mode["mode"] as? String == "ebpf", "\(mode)")
            let (missing, _) = try Self.sixKindsArrive(watch)
            #expect(missing.isEmpty, "missing \(missing): \(watch.collected.suffix(30))")
            #expect(watch.stop(SIGINT) == 0)
        }

        /// The tracefs tier says why it cannot run: the real cause, not "no such hook".
        @Test func withoutTracefsTheTracepointTierSaysTracefsIsNotMounted() throws {
            let result = try run("/usr/bin/unshare", ["-m", "--propagation", "private", "sh", "-c", Self.script(["hooks", "--json"], tracefs: .absent)])
            #expect(result.status == 0, "\(result.stderr)")
            let document = try #require(jsonObject(result.stdout.trimmingCharacters(in: .newlines)), "\(result.stdout)")
            let bind = (document["concerns"] as? [[String: Any]])?.first { $0["concern"] as? String == "bind" }
            let tracepoint = (bind?["tiers"] as? [[String: Any]])?.first { $0["tier"] as? String == "tracepoint" }
            #expect(tracepoint?["status"] as? String == "no: tracefs not mounted at /sys/kernel/tracing", "\(result.stdout)")
        }

        @Test func withoutTracefsAFreshListenerIsMatched() throws {
            let base = TestPorts.free()
            let watch = try Self.watch(["watch", "--json", "-p", "\(base)"], tracefs: .absent)
            #expect(Self.mode(watch)?["mode"] as? String == "ebpf")
            let helper = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let matched = watch.waitForLine(timeout: 5) { line in
                guard let o = jsonObject(line), o["type"] as? String == "matched" else { return false }
                return o["pid"] as? Int == Int(helper.pid)
            }
            #expect(matched != nil, "\(watch.collected.suffix(20))")
            #expect(watch.stop(SIGINT) == 0)
        }

        /// With tracefs (mounted privately here), the syscall tracepoints tier runs and sees what
        /// cgroup post_bind cannot: a bind that fails, with its errno.
        @Test func theTracepointTierSeesAFailedBind() throws {
            let watch = try Self.watch(["watch", "--json", "--hook", "bind=tracepoint"], tracefs: .mounted)
            let mode = try #require(Self.mode(watch), "\(watch.collected)")
            #expect((mode["hooks"] as? [String: Any])?["bind"] as? String == "tracepoint", "\(mode)")
            let port = TestPorts.free()
            let first = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            let second = TestSocket(AF_INET, Int32(SOCK_STREAM.rawValue))
            defer { first.close(); second.close() }
            #expect(first.bind("127.0.0.1", port) == 0 && first.listen() == 0)
            #expect(second.bind("127.0.0.1", port) == -EADDRINUSE)
            let failed = watch.waitForLine(timeout: 5) { line in
                guard let o = jsonObject(line), o["type"] as? String == "bind" else { return false }
                return o["pid"] as? Int == Int(getpid()) && o["port"] as? Int == Int(port) && o["error"] as? String == "EADDRINUSE"
            }
            #expect(failed != nil, "\(watch.collected.suffix(20))")
            #expect(watch.stop(SIGINT) == 0)
        }

        /// User nobody with a DaemonSet's capabilities, on a host without tracefs: eBPF mode, all
        /// six kinds, and a root process's listener found with its ports.
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv is not installed"))
        func aDaemonSetUserWithoutRootSeesEverything() throws {
            let base = TestPorts.free()
            let watch = try Self.watch(["watch", "--json", "--all", "-p", "\(base)"], tracefs: .absent, capabilities: Self.daemonSetCapabilities)
            let mode = try #require(Self.mode(watch), "\(watch.collected)")
            #expect(mode["mode"] as? String == "ebpf", "\(mode)")
            #expect(!watch.collected.contains { jsonObject($0)?["code"] as? String == "capability" }, "\(watch.collected)")
            let (missing, _) = try Self.sixKindsArrive(watch)
            #expect(missing.isEmpty, "missing \(missing): \(watch.collected.suffix(30))")
            let owner = try Helper(script: Scripts.listeners, arguments: [String(base)])
            let matched = watch.waitForLine(timeout: 5) { line in
                guard let o = jsonObject(line), o["type"] as? String == "matched", o["pid"] as? Int == Int(owner.pid) else { return false }
                return o["user"] as? String == "root" && (o["ports"] as? [Any])?.count == 4
            }
            #expect(matched != nil, "\(watch.collected.suffix(20))")
            #expect(watch.stop(SIGINT) == 0)
        }

        /// A host with no cgroup v2 mount (cgroup v1 only): discotop mounts one in a private
        /// namespace of its own for the cgroup socket hooks, and the host's mounts stay as they were.
        @Test func withoutACgroup2MountTheCgroupHooksStillLoad() throws {
            let unmount = "for m in $(awk '$3 == \"cgroup2\" {print $2}' /proc/self/mounts); do umount -l \"$m\" || exit 96; done; "
                + "grep -q ' cgroup2 ' /proc/self/mounts && exit 95; "
            let result = try run("/usr/bin/unshare", ["-m", "--propagation", "private", "sh", "-c", unmount + "exec '\(Binaries.discotop)' hooks --json"])
            #expect(result.status == 0, "\(result.stderr)")
            let document = try #require(jsonObject(result.stdout.trimmingCharacters(in: .newlines)), "\(result.stdout)")
            let concerns = try #require(document["concerns"] as? [[String: Any]])
            #expect(concerns.first { $0["concern"] as? String == "release" }?["live"] as? String == "cgroup", "\(result.stdout)")
            #expect(try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8).components(separatedBy: "\n").filter { $0.contains(" cgroup2 ") }.count
                == mountedCgroup2AtStart, "the host's mounts are untouched")
        }

        let mountedCgroup2AtStart = ((try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? "")
            .components(separatedBy: "\n").filter { $0.contains(" cgroup2 ") }.count

        /// When no tier of any concern can run, poll mode lists every tier it tried and why each
        /// failed, not only the last one.
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv is not installed"),
              .enabled(if: !KernelHooks.survey.offers(.bind, .fexit) && !KernelHooks.survey.offers(.bind, .kprobe),
                       "fexit or kprobe would give bind a hook without CAP_NET_ADMIN here"))
        func pollModeListsEveryTierTried() throws {
            let off = ["state", "fork", "exec", "exit"].flatMap { ["--hook", "\($0)=off"] }
            let watch = try Self.watch(["watch", "--json"] + off, tracefs: .absent, capabilities: ["bpf", "perfmon"])
            let mode = try #require(watch.waitForMode(), "\(watch.collected)")
            #expect(mode["mode"] as? String == "poll")
            let tried = watch.collected.compactMap(jsonObject).filter { $0["code"] as? String == "hook_passed_over" }
                .map { "\($0["concern"] as? String ?? "?") \($0["tier"] as? String ?? "?")" }
            #expect(Set(tried) == ["bind fexit", "bind kprobe", "bind cgroup", "bind tracepoint", "release cgroup"], "\(tried)")
            #expect((mode["reason"] as? String)?.contains("tracefs not mounted") == true, "\(mode)")
            #expect((mode["reason"] as? String)?.contains("missing CAP_NET_ADMIN") == true, "\(mode)")
            #expect(watch.stop(SIGINT) == 0)
        }

        /// Fewer capabilities: eBPF still where it can be, and each missing capability named
        /// with what it costs; none at all: poll mode, saying which are missing.
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv is not installed"))
        func missingCapabilitiesAreNamedWithWhatTheyCost() throws {
            let some = try Self.watch(["watch", "--json"], tracefs: .absent, capabilities: ["bpf", "perfmon"])
            #expect(Self.mode(some)?["mode"] as? String == "ebpf")
            #expect(some.waitForLine(timeout: 2) { jsonObject($0)?["limit"] as? String == "other_users_processes_unknown" } != nil)
            #expect(some.waitForLine(timeout: 2) { line in
                jsonObject(line)?["code"] as? String == "hook_passed_over" && line.contains("missing CAP_NET_ADMIN")
            } != nil, "\(some.collected)")
            #expect(some.stop(SIGINT) == 0)

            let none = try Self.watch(["watch", "--json"], tracefs: .absent, capabilities: [])
            let mode = try #require(Self.mode(none), "\(none.collected)")
            #expect(mode["mode"] as? String == "poll")
            #expect((mode["reason"] as? String)?.contains("missing CAP_BPF and CAP_PERFMON") == true, "\(mode)")
            #expect(none.stop(SIGINT) == 0)
        }
    }
}
