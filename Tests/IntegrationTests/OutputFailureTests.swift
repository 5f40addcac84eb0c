import Foundation
import Glibc
import Testing

/// What `list` and `watch` do when standard output stops taking data: a full disk or an I/O
/// error is said on stderr with status 1; a reader that left (`| head -1`) ends them quietly
/// with status 0, as `head` expects. Each runs under `env --default-signal=PIPE`, as from a
/// shell, so a SIGPIPE that is not ignored would kill the process and fail the test.
@Suite struct OutputFailureTests {
    static let env = "/usr/bin/env"
    static let defaultSIGPIPE = "--default-signal=PIPE"

    func discotop(_ arguments: [String], stdout: FileHandle, timeout: Double = 20) throws -> RunResult {
        try run(Self.env, [Self.defaultSIGPIPE, Binaries.discotop] + arguments, stdout: stdout, timeout: timeout)
    }

    func devFull() throws -> FileHandle {
        try #require(FileHandle(forWritingAtPath: "/dev/full"))
    }

    /// A pipe whose read end is already closed: the first write gets EPIPE.
    func readerlessPipe() throws -> FileHandle {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        return pipe.fileHandleForWriting
    }

    static let enospc = "discotop: cannot write to standard output: No space left on device (ENOSPC)"

    @Test(arguments: [["list", "--json"], ["list"], ["check-config", Probes.config("full.yml")]])
    func aFullDiskIsAnErrorWithItsReason(arguments: [String]) throws {
        let result = try discotop(arguments, stdout: try devFull())
        #expect(result.status == 1)
        #expect(result.stderr.contains(Self.enospc), "\(result.stderr)")
    }

    @Test func watchStopsWithAnErrorWhenTheDiskIsFull() throws {
        let result = try discotop(["watch", "--json", "--no-ebpf", "--poll-interval", "0.2"], stdout: try devFull(), timeout: 10)
        #expect(!result.timedOut, "watch kept running")
        #expect(result.status == 1)
        #expect(result.stderr.contains(Self.enospc), "\(result.stderr)")
    }

    @Test(arguments: [["list", "--json"], ["list"], ["watch", "--json", "--no-ebpf"], ["watch", "--no-ebpf"]])
    func aReaderThatLeftEndsTheCommandQuietly(arguments: [String]) throws {
        let result = try discotop(arguments, stdout: try readerlessPipe(), timeout: 10)
        #expect(!result.timedOut)
        #expect(result.signal == nil, "killed by signal \(result.signal ?? 0)")
        #expect(result.status == 0)
        #expect(!result.stderr.contains("cannot write"), "\(result.stderr)")
    }

    /// `watch --json | head -1` on a machine where nothing happens after the first line: the
    /// reader leaving is noticed without waiting for something to write.
    @Test func watchEndsSoonAfterItsReaderLeavesWithNothingToWrite() throws {
        let pipe = Pipe()
        let reader = Thread {
            _ = pipe.fileHandleForReading.readLine()
            try? pipe.fileHandleForReading.close()
        }
        reader.start()
        let started = Date()
        let result = try discotop(["watch", "--json", "--no-ebpf", "--poll-interval", "3600"], stdout: pipe.fileHandleForWriting, timeout: 10)
        #expect(!result.timedOut)
        #expect(result.status == 0)
        #expect(result.signal == nil)
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
