import Foundation
import Glibc
import Testing

/// What `check-config` and `--config` accept as a file: a regular file read whole, or standard
/// input through `-`; anything else refused with the reason and status 2, never waited on.
/// A class so that each test's scratch directory goes away in `deinit`.
@Suite final class ConfigInputTests {
    let directory = NSTemporaryDirectory() + "discotop-config-input-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let selector = "discovery:\n  instrument:\n    - name: last\n      open_ports: 8080\n"

    /// A file of `size` bytes of YAML comments whose only selector comes after them.
    func largeConfig(size: Int) throws -> String {
        let path = "\(directory)/large.yml"
        let line = "# " + String(repeating: "x", count: 1021) + "\n"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let block = Data(String(repeating: line, count: 1024).utf8)
        for _ in 0..<(size / block.count) { handle.write(block) }
        handle.write(Data(Self.selector.utf8))
        try handle.close()
        return path
    }

    @Test func aSelectorAfter17MiBIsReadNotCutOff() throws {
        let result = try run(Binaries.discotop, ["check-config", try largeConfig(size: 17 << 20)], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("valid (selectors from discovery.instrument)"), "\(result.stdout)")
        #expect(result.stdout.contains("1. last (line "))
    }

    @Test func aFileAbove64MiBIsRefusedBeforeItIsRead() throws {
        let path = "\(directory)/huge.yml"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        // Sparse: the size alone must be enough to refuse it.
        #expect(truncate(path, off_t(65 << 20)) == 0)
        let result = try run(Binaries.discotop, ["check-config", path], timeout: 20)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "discotop: \(path): larger than 64 MiB, the most discotop reads as a configuration; is this the right file?\n")
    }

    @Test(arguments: [["check-config"], ["list", "--config"]])
    func aFIFOWithoutAWriterIsRefusedNotWaitedOn(command: [String]) throws {
        let path = "\(directory)/beyla.yml"
        #expect(mkfifo(path, 0o600) == 0)
        let result = try run(Binaries.discotop, command + [path], timeout: 10)
        #expect(!result.timedOut, "discotop waited for a writer")
        #expect(result.status == 2)
        #expect(result.stderr.contains("discotop: \(path): not a regular file (a FIFO); give a file, or - to read standard input"), "\(result.stderr)")
    }

    @Test func aDirectoryIsRefusedByItsKind() throws {
        let result = try run(Binaries.discotop, ["check-config", directory], timeout: 10)
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a regular file (a directory)"), "\(result.stderr)")
    }

    @Test func dashReadsStandardInputToItsEnd() throws {
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(Data(("# first\n" + Self.selector).utf8))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let result = try run(Binaries.discotop, ["check-config", "-"], stdin: pipe.fileHandleForReading, timeout: 10)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<stdin>: valid (selectors from discovery.instrument)"), "\(result.stdout)")
        #expect(result.stdout.contains("1. last (line 4): open_ports=8080"))
    }
}
