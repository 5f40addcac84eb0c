import Foundation
import Glibc
import Testing

/// An OBI v0.12 file against real processes, and where `list --json` says they run.
extension SystemTests { @Suite struct OBIConfigEndToEndTests {
    let config = Probes.config("obi-v0.12.yml")

    func list(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ListOutput {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BEYLA_") && !$0.key.hasPrefix("OTEL_") }
            .merging(extra) { $1 }
        let result = try run(Binaries.discotop, ["list", "--json"] + arguments, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try ListOutput.decode(result.stdout)
    }

    @Test func executablePathAndServiceNameChooseAndNameTheProcessAsInOBI() throws {
        let plain = try Helper(script: Scripts.listeners, arguments: [String(TestPorts.free())])
        let exporting = try Helper(
            script: Scripts.listeners, arguments: [String(TestPorts.free())],
            prefix: ["/usr/bin/env", "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318"])
        let output = try list(["--config", config])
        let row = try #require(output.process(plain.pid), "executable_path picked nothing")
        #expect(row.match == "matched")
        #expect(row.selectors == ["checkout"])
        #expect(row.service_name == "checkout" && row.service_namespace == "shop")
        #expect(row.otel_sdk == nil && row.obi_drops == [])
        // The file turns exclude_otel_instrumented_services off and its _span_metrics variant on.
        let sdk = try #require(output.process(exporting.pid))
        #expect(sdk.match == "matched")
        #expect(sdk.otel_sdk == "OTEL_EXPORTER_OTLP_ENDPOINT")
        #expect(sdk.obi_drops == ["span_metrics"])
        let byEnvironment = try list(["--config", config], environment: ["OTEL_EBPF_EXCLUDE_OTEL_INSTRUMENTED_SERVICES": "true"])
        #expect(byEnvironment.process(exporting.pid)?.obi_drops == ["metrics", "traces", "span_metrics"])
    }

    @Test func theEnvironmentsOTelEBPFNamesWorkAsBeylasDo() throws {
        let port = TestPorts.free()
        let helper = try Helper(script: Scripts.listeners, arguments: [String(port)])
        let output = try list([], environment: ["OTEL_EBPF_OPEN_PORT": String(port), "OTEL_EBPF_SERVICE_NAMESPACE": "ops", "OTEL_SERVICE_NAME": "api"])
        let row = try #require(output.process(helper.pid))
        #expect(row.match == "matched" && row.service_name == "api" && row.service_namespace == "ops")
        #expect(output.processes.allSatisfy { ($0.ports ?? []).contains { $0.port == port } }, "only what holds the port is listed")
    }

    @Test func listSaysWhichCgroupEachProcessRunsIn() throws {
        let helper = try Helper(script: Scripts.listeners, arguments: [String(TestPorts.free())])
        let row = try #require(try list(["--all"]).process(helper.pid))
        let text = try String(contentsOfFile: "/proc/\(helper.pid)/cgroup", encoding: .utf8)
        let unified = text.split(separator: "\n").first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) }
        #expect(row.cgroup != nil)
        if let unified { #expect(row.cgroup == unified) }
        #expect(row.container_id == nil && row.container_runtime == nil)
        #expect(row.started_at?.hasSuffix("Z") == true)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let started = try #require(row.started_at.flatMap { formatter.date(from: $0) })
        #expect(abs(started.timeIntervalSinceNow) < 120, "\(row.started_at ?? "")")
    }

    /// The scan reads /proc/PID/cgroup once per css_set (the kernel's set of a task's cgroups):
    /// processes in one cgroup share a read, and one moved elsewhere gets a read of its own.
    @Test(.enabled(if: Self.cgroup2Mount != nil, "no cgroup v2 hierarchy mounted"))
    func processesInDifferentCgroupsEachShowTheirOwn() throws {
        let root = try #require(Self.cgroup2Mount)
        let name = "discotop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let directory = "\(root)/\(name)"
        #expect(mkdir(directory, 0o755) == 0, "mkdir \(directory): \(errno)")
        defer { rmdir(directory) }
        let stays = try Helper(script: Scripts.listeners, arguments: [String(TestPorts.free())])
        let moved = try Helper(script: Scripts.listeners, arguments: [String(TestPorts.free())])
        let movedToo = try Helper(script: Scripts.listeners, arguments: [String(TestPorts.free())])
        for helper in [moved, movedToo] {
            try "\(helper.pid)\n".write(toFile: "\(directory)/cgroup.procs", atomically: false, encoding: .utf8)
        }
        let output = try list(["--all"])
        let own = try String(contentsOfFile: "/proc/\(stays.pid)/cgroup", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) }
        #expect(output.process(stays.pid)?.cgroup == own)
        #expect(output.process(moved.pid)?.cgroup == "/\(name)")
        #expect(output.process(movedToo.pid)?.cgroup == "/\(name)")
        // The cgroup must be empty before it can go: the helpers end, then the defer removes it.
        for helper in [moved, movedToo] { helper.stop() }
    }

    /// Where cgroup v2 is mounted (`/sys/fs/cgroup` on a unified host, `…/unified` on a hybrid one).
    static let cgroup2Mount: String? = {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        for line in mounts.split(separator: "\n") {
            let fields: [Substring] = line.split(separator: " ")
            if fields.count > 2, fields[2] == "cgroup2" { return String(fields[1]) }
        }
        return nil
    }()
} }
