import Foundation
import Glibc
import Testing

/// deploy/: the Kubernetes manifest and the systemd unit validate, and what they run parses.
/// Under the serialized suite: it starts an agent, whose listener other tests would see.
extension SystemTests { @Suite struct DeploymentTests {
    static let manifest = Repository.path("deploy/kubernetes/daemonset.yaml")
    static let unit = Repository.path("deploy/systemd/discotop.service")
    /// kubernetes-validate on PATH, where `python3 -m pip` put it.
    static var validator: String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/kubernetes-validate" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: validator != nil, "make test installs kubernetes-validate from PyPI"))
    func theManifestValidatesAgainstTheKubernetesSchemaAndABrokenOneDoesNot() throws {
        let result = try run(Self.validator!, ["--strict", Self.manifest])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // The validator works offline here, and says no to what is wrong.
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("daemonset-\(UUID().uuidString).yaml")
        try String(contentsOfFile: Self.manifest, encoding: .utf8).replacingOccurrences(of: "hostPID: true", with: "hostPID: yes-please")
            .write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        #expect(try run(Self.validator!, ["--strict", broken.path]).status != 0)
    }

    /// The container's arguments and the ConfigMap's discovery file, read with PyYAML (which
    /// kubernetes-validate brings).
    func containerArgumentsAndDiscoveryConfig() throws -> (arguments: [String], config: String) {
        let script = """
            import json, sys, yaml
            docs = list(yaml.safe_load_all(open(sys.argv[1])))
            ds = next(d for d in docs if d["kind"] == "DaemonSet")
            cm = next(d for d in docs if d["kind"] == "ConfigMap")
            print(json.dumps({"args": ds["spec"]["template"]["spec"]["containers"][0]["args"], "config": cm["data"]["beyla.yml"]}))
            """
        let result = try run("/usr/bin/env", ["python3", "-c", script, Self.manifest])
        let object = try #require(jsonObject(result.stdout), "\(result.stderr)")
        return (try #require(object["args"] as? [String]), try #require(object["config"] as? String))
    }

    @Test(.enabled(if: validator != nil, "make test installs kubernetes-validate (and PyYAML) from PyPI"))
    func theContainerArgumentsParseAndServeWithTheConfigMapsDiscoveryFile() throws {
        let (arguments, config) = try containerArgumentsAndDiscoveryConfig()
        #expect(arguments.first == "serve")
        #expect(try run(Binaries.discotop, arguments + ["--help"]).status == 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try config.write(to: directory.appendingPathComponent("beyla.yml"), atomically: true, encoding: .utf8)
        try "token\n".write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let checked = try run(Binaries.discotop, ["check-config", directory.appendingPathComponent("beyla.yml").path])
        #expect(checked.status == 0, "\(checked.stderr)")
        // The same arguments for real, with the mounted files' paths here and a free port.
        let local = arguments.map { argument in
            argument.replacingOccurrences(of: "/etc/discotop", with: directory.path)
                .replacingOccurrences(of: "/var/run/discotop", with: directory.path)
                .replacingOccurrences(of: "0.0.0.0:10088", with: "127.0.0.1:0")
        }
        let process = try StreamingProcess(Binaries.discotop, local + ["--no-ebpf"])
        let serving = try #require(process.waitForLine(timeout: Timeouts.startup) { $0.contains("serving on http://127.0.0.1:") }, "\(process.collected)")
        let port = try #require(serving.split(separator: ":").last.flatMap { UInt16($0) })
        // Ready once the first full scan with the ConfigMap's selectors is done.
        let deadline = Date().addingTimeInterval(Timeouts.startup)
        while Date() < deadline, HTTPGet.fetch(port: port, "/healthz")?.status != 200 { usleep(100_000) }
        #expect(HTTPGet.fetch(port: port, "/healthz")?.status == 200)
        #expect(HTTPGet.fetch(port: port, "/metrics")?.status == 401, "the token file is in force")
        #expect(HTTPGet.fetch(port: port, "/metrics", headers: ["Authorization: Bearer token"])?.text.contains("selector=\"web\"") == true)
        #expect(process.stop(SIGTERM) == 0)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "systemd-analyze is not installed"))
    func theSystemdUnitVerifiesAndItsCommandParses() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        // verify checks that ExecStart's program exists: point it at the binary under test.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let local = directory.appendingPathComponent("discotop.service")
        try text.replacingOccurrences(of: "/usr/local/bin/discotop", with: Binaries.discotop).write(to: local, atomically: true, encoding: .utf8)
        let verified = try run("/usr/bin/systemd-analyze", ["verify", local.path])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let exec = try #require(text.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let arguments = exec.split(separator: " ").dropFirst().map(String.init)
        #expect(try run(Binaries.discotop, arguments + ["--help"]).status == 0)
        for capability in ["CAP_BPF", "CAP_PERFMON", "CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH", "CAP_SYS_ADMIN"] {
            #expect(text.contains("CapabilityBoundingSet=") && text.contains(capability))
        }
    }
} }
