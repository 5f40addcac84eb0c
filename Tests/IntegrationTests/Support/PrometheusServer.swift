import Foundation
import Glibc

/// Debian's Prometheus (`make test` installs it), on loopback, scraping one target every second
/// from a configuration and a TSDB of its own that are removed afterwards.
final class PrometheusServer {
    static let binary = "/usr/bin/prometheus"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let process = Process()
    let port: UInt16
    private let directory: URL

    init(scraping target: UInt16) throws {
        port = TestPorts.free()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: discotop
                static_configs:
                  - targets: ["127.0.0.1:\(target)"]
            """
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The result vector of an instant query (empty when nothing matches, nil if Prometheus did not answer).
    func query(_ expression: String) -> [[String: Any]]? {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "_-.")
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: allowed) ?? expression
        guard let reply = HTTPGet.fetch(port: port, "/api/v1/query?query=\(encoded)"), reply.status == 200,
              let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any],
              let data = object["data"] as? [String: Any] else { return nil }
        return data["result"] as? [[String: Any]]
    }

    /// Polls `expression` until `predicate` holds for its result, for up to `timeout` seconds.
    func waitFor(_ expression: String, timeout: Double = 30, _ predicate: ([[String: Any]]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let result = query(expression), predicate(result) { return true }
            usleep(250_000)
        }
        return false
    }
}
