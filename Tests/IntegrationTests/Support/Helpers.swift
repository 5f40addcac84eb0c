import Foundation
import Glibc
import Testing

/// A program run to completion, with its output.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The signal that ended it, if one did (then `status` is that signal's number).
    var signal: Int32? = nil
    /// It was still running after the timeout and was killed.
    var timedOut = false
}

enum Binaries {
    /// The `discotop` built next to this test bundle (same build folder).
    static var discotop: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("discotop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return "discotop"
    }

    static let isRoot = geteuid() == 0

    /// The binary copied where `nobody` may run it (the build folder may sit under a home
    /// directory it cannot enter), for the tests that drop privileges.
    static let discotopForNobody: String = {
        let directory = NSTemporaryDirectory() + "discotop-nobody-\(getpid())"
        let copy = directory + "/discotop"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: copy)
        try? FileManager.default.copyItem(atPath: discotop, toPath: copy)
        chmod(directory, 0o755)
        chmod(copy, 0o755)
        return copy
    }()

    /// Runs `arguments` as nobody (uid and gid 65534, no groups).
    static func asNobody(_ arguments: [String]) -> [String] {
        ["--reuid=65534", "--regid=65534", "--clear-groups", discotopForNobody] + arguments
    }
}

/// Pids of the kernel threads now running: PF_KTHREAD in field 9 of /proc/PID/stat.
func kernelThreadPIDs() -> Set<Int32> {
    var pids = Set<Int32>()
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3), so field 9 is fields[6].
        if fields.count > 6, let flags = UInt32(fields[6]), flags & 0x0020_0000 != 0 { pids.insert(pid) }
    }
    return pids
}

/// Runs a command to completion. Output goes through files, not pipes, so a chatty child can
/// never block on a full pipe while we wait for it. `stdin` and `stdout` replace /dev/null and
/// the collected file; after `timeout` seconds the child is killed and the result says so.
func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    stdin: FileHandle = .nullDevice, stdout: FileHandle? = nil, timeout: Double? = nil
) throws -> RunResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outURL = directory.appendingPathComponent("out")
    let errURL = directory.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = try stdout ?? FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = stdin
    try process.run()
    var timedOut = false
    if let timeout {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
        }
    }
    process.waitUntilExit()
    return RunResult(
        status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
        stderr: try String(contentsOf: errURL, encoding: .utf8),
        signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil, timedOut: timedOut)
}

/// A helper process (python3) that opens sockets, prints a line of JSON once they are open,
/// and lives until killed. Each test picks its own ports so tests can run in parallel.
final class Helper {
    let process = Process()
    private let output = Pipe()
    /// What the helper printed once ready: its pid and those of its children.
    private(set) var ready: [String: Any] = [:]

    convenience init(script: String, arguments: [String] = [], prefix: [String] = []) throws {
        let launcher = prefix.first ?? "/usr/bin/python3"
        let python = Array(prefix.dropFirst()) + (prefix.isEmpty ? [] : ["/usr/bin/python3"])
        try self.init(program: launcher, arguments: python + ["-c", script] + arguments)
    }

    /// Starts `program` and waits for its one JSON ready line (a compiled probe or python3).
    init(program: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        guard let line = output.fileHandleForReading.readLine(),
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            process.terminate()
            throw HelperFailed()
        }
        ready = object
    }

    var pid: Int32 { (ready["pid"] as? Int).map(Int32.init) ?? process.processIdentifier }

    func pids(_ key: String) -> [Int32] { (ready[key] as? [Int] ?? []).map(Int32.init) }

    /// Ends the helper (and its group) now, rather than when the test lets go of it.
    func stop() {
        kill(-process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        // Foundation starts the helper as a session leader, so its pid is also the group id:
        // kill the whole group so forked children do not outlive the test.
        kill(-process.processIdentifier, SIGKILL)
        process.terminate()
        process.waitUntilExit()
    }
}

struct HelperFailed: Error {}

extension FileHandle {
    /// Reads up to a newline, byte by byte (the helper writes one short line).
    func readLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            guard let byte = try? read(upToCount: 1), let first = byte.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }
}

/// A free port range for one test: the kernel picks a free base so parallel tests do not collide.
enum TestPorts {
    /// The first of `count` consecutive ports that all take a TCP bind now, below the kernel's
    /// ephemeral range (32768 and up here), where other programs' outgoing connections and
    /// tests' port-0 binds land and would take one in the middle of the range.
    static func freeRange(count: Int) -> UInt16 {
        for _ in 0..<200 {
            let base = UInt16.random(in: 10_000...(32_000 - UInt16(count)))
            if (0..<count).allSatisfy({ bindable(base + UInt16($0)) }) { return base }
        }
        return free()
    }

    private static func bindable(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func free() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length)
                return getsockname(fd, $0, &length)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
