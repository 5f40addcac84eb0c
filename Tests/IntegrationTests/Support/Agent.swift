import Foundation
import Glibc

/// A real `discotop serve` on a port the kernel picks, and what the tests ask of it.
final class Agent {
    let process: StreamingProcess
    let port: UInt16

    struct NotServing: Error {}

    init(_ arguments: [String] = []) throws {
        process = try StreamingProcess(Binaries.discotop, ["serve", "--listen", "127.0.0.1:0"] + arguments)
        guard let line = process.waitForLine(timeout: Timeouts.startup, { $0.contains("serving on http://") }),
              let port = line.split(separator: ":").last.flatMap({ UInt16($0) })
        else { throw NotServing() }
        self.port = port
    }

    var pid: Int32 { process.process.processIdentifier }

    /// Waits for `/healthz` to say the first full scan is done.
    func waitUntilReady(timeout: Double = Timeouts.startup) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if get("/healthz")?.status == 200 { return true }
            usleep(50_000)
        }
        return false
    }

    func get(_ path: String, headers: [String] = []) -> HTTPReply? {
        HTTPGet.fetch(port: port, path, headers: headers)
    }

    /// Resident memory in KiB, from /proc.
    var residentKiB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func stop() -> Int32? { process.stop(SIGTERM) }
}
