import Foundation
import Glibc
import Testing

extension SystemTests {
    /// A reader that stops reading `watch` must not stall discovery: the engine hands updates
    /// over and goes on. Before, it wrote on its own queue, blocked on the full pipe, and the
    /// kernel's ring buffer overflowed (`lost_events`) within a second of a bind burst.
    @Suite struct SlowReaderTests {
        @Test(.enabled(if: Binaries.isRoot, "loading eBPF programs needs root"))
        func aReaderThatStopsReadingLosesNoKernelEvents() throws {
            let port = TestPorts.free()
            let pipe = Pipe()
            let watch = Process()
            watch.executableURL = URL(fileURLWithPath: Binaries.discotop)
            // --all: the burst binds ports outside the criteria, which watch otherwise leaves out.
            watch.arguments = ["watch", "--json", "--all", "-p", "\(port)"]
            watch.standardOutput = pipe
            watch.standardError = FileHandle.nullDevice
            try watch.run()
            defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
            let reader = LineReader(pipe.fileHandleForReading)
            #expect(reader.next(timeout: Timeouts.startup) { jsonObject($0)?["code"] as? String == "mode" } != nil)
            // Stop reading. 30,000 binds are 30,000 lines (about 8 MB): the pipe holds 64 KiB.
            let binds = 30_000
            let burst = try run("/usr/bin/python3", ["-c", Scripts.bindBurst, String(binds)], timeout: 60)
            #expect(burst.status == 0, "\(burst.stderr)")
            let listener = try Helper(script: Scripts.listeners, arguments: [String(port)])
            sleep(1)
            // Read again: every bind arrives, nothing was lost in the kernel, and the listener
            // started while nobody read was matched.
            var seen = 0
            var lost = false
            let matched = reader.next(timeout: 30) { line in
                let object = jsonObject(line)
                if object?["type"] as? String == "bind", object?["comm"] as? String == "python3" { seen += 1 }
                if object?["code"] as? String == "lost_events" { lost = true }
                return object?["type"] as? String == "matched" && object?["pid"] as? Int == Int(listener.pid)
            }
            #expect(matched != nil)
            #expect(!lost, "the engine stalled long enough for the ring buffer to overflow")
            #expect(seen >= binds)
            kill(watch.processIdentifier, SIGTERM)
            watch.waitUntilExit()
            #expect(watch.terminationStatus == 0)
        }
    }
}

/// Lines from a pipe, read on demand (so that a test can stop reading).
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    /// Reads until a line satisfies `predicate` (every line is shown to it), or the timeout.
    func next(timeout: Double, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        let fd = handle.fileDescriptor
        while Date() < deadline {
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                if predicate(line) { return line }
            }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = read(fd, &chunk, chunk.count)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
        return nil
    }
}
