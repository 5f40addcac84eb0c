import Foundation
import Testing
@testable import Engine

@Suite struct SystemFilesTests {
    /// A /proc/net/tcp of 10,000 listeners is about 1.5 MB; the reader once stopped at 1 MiB
    /// without a word. Any length comes back whole.
    @Test func readsAFileOfSeveralMegabytesWhole() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("discotop-systemfiles-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = Array("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n".utf8)
        let bytes = Array((0..<20_000).map { _ in line }.joined())
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let read = try #require(SystemFiles.read(path).value)
        #expect(read.count == bytes.count)
        #expect(read == bytes)
        #expect(SystemFiles.read(path, limit: 64).value?.count == 64)
    }
}
