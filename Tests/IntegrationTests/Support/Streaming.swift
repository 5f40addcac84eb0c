import Foundation
import Glibc

/// A long-running `discotop` whose output lines are collected as they arrive.
final class StreamingProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let reader: Thread

    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let handle = output.fileHandleForReading
        let box = LineSink()
        reader = Thread {
            while let line = handle.readLine() { box.append(line) }
        }
        sink = box
        try process.run()
        reader.start()
    }

    private let sink: LineSink

    var collected: [String] { sink.snapshot() }

    /// The mode line (`info` with code `mode`), which comes once eBPF is loaded and the first
    /// scan is done: about a second here, tens of seconds under the kernel matrix's software
    /// emulation, hence the long wait.
    func waitForMode(timeout: Double = Timeouts.startup) -> [String: Any]? {
        waitForLine(timeout: timeout) { jsonObject($0)?["code"] as? String == "mode" || $0.contains(" INFO       mode ") }.flatMap(jsonObject)
    }

    /// Waits until a line satisfies `predicate`; nil after `timeout` seconds.
    func waitForLine(timeout: Double = 10, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = sink.snapshot().first(where: predicate) { return line }
            usleep(10_000)
        }
        return nil
    }

    /// Sends `signal` and waits for the exit status (nil if it did not exit within `timeout`).
    func stop(_ signal: Int32 = SIGINT, timeout: Double = 10) -> Int32? {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

private final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    func snapshot() -> [String] { lock.withLock { lines } }
}

enum Timeouts {
    /// Loading eBPF and the first full scan, on a loaded machine or under qemu's TCG.
    static let startup: Double = 40
}

func jsonObject(_ line: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
}
