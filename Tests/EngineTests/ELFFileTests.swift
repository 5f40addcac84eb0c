import Foundation
import Glibc
import Testing
@testable import Engine

@Suite struct ELFFileTests {
    static let goSection = ELFFixture.goBuildInfo(version: "go1.22.1")
    static let rustSymbols = ELFFixture.Section(name: ".strtab", bytes: Array("\0main\0rust_panic\0".utf8), type: 3)

    /// Writes `bytes` to an unlinked file and passes its /proc/self/fd path to `body`.
    static func withFile<T>(_ bytes: [UInt8], _ body: (String) -> T) -> T {
        var template = Array("/tmp/discotop-elf-test-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        precondition(fd >= 0)
        defer { close(fd) }
        unlink(String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        precondition(write(fd, bytes, bytes.count) == bytes.count)
        return body("/proc/self/fd/\(fd)")
    }

    static func language(_ fixture: ELFFixture) -> Language? {
        withFile(fixture.bytes) { LanguageDetector.fromELF($0, exe: nil) }
    }

    @Test func theMinimalFileReadsAsGo() {
        #expect(Self.language(ELFFixture(sections: [Self.goSection])) == .go(GoBuildInfo(version: "go1.22.1")))
    }

    /// Found by Fuzz/FuzzELF: an offset past off_t's range trapped converting for pread.
    @Test func aSectionTableBeyondOffTIsNoELF() {
        var fixture = ELFFixture(sections: [Self.goSection])
        fixture.tableOffset = 1 << 63
        #expect(Self.withFile(fixture.bytes) { ELFFile(path: $0) } == nil)
    }

    @Test func aSectionBeyondOffTReadsEmpty() {
        var fixture = ELFFixture(sections: [Self.goSection])
        fixture.offsets[".go.buildinfo"] = UInt64.max
        #expect(Self.language(fixture) == .go(nil))
    }

    /// The hand-written reader this replaced took only 64-bit little-endian files.
    @Test(arguments: [ELFFixture.Width.elf32, .elf64], [ELFFixture.ByteOrder.little, .big])
    func everyWidthAndByteOrderReads(width: ELFFixture.Width, order: ELFFixture.ByteOrder) {
        #expect(Self.language(ELFFixture(width: width, byteOrder: order, sections: [Self.goSection]))
                == .go(GoBuildInfo(version: "go1.22.1")))
        #expect(Self.language(ELFFixture(width: width, byteOrder: order, sections: [Self.rustSymbols])) == .rust)
    }

    /// From 0xff00 sections up the counts leave the header for section 0; here the names
    /// table's own index is past 0xff00 too.
    @Test(arguments: [ELFFixture.Width.elf32, .elf64])
    func extendedSectionNumberingReads(width: ELFFixture.Width) throws {
        let filler = (0..<0xFF10).map { ELFFixture.Section(name: ".s\($0)", bytes: []) }
        var fixture = ELFFixture(width: width, byteOrder: .big, sections: filler + [Self.goSection])
        fixture.namesLast = true
        fixture.extendedNumbering = true
        let sections = Self.withFile(fixture.bytes) { ELFFile(path: $0)?.sections.count }
        #expect(sections == 0xFF10 + 2)
        #expect(Self.language(fixture) == .go(GoBuildInfo(version: "go1.22.1")))
    }

    @Test func aSectionWithNoBytesInTheFileReadsEmpty() throws {
        var bss = ELFFixture.Section(name: ".strtab", bytes: Array("rust_panic".utf8))
        bss.type = 8  // SHT_NOBITS: its size is memory, not file
        #expect(Self.language(ELFFixture(sections: [bss])) == .native)
    }

    /// Real toolchain output (Tests/Fixtures/elf/make-samples.sh): Go's probe cross-built for
    /// 32-bit little-endian, 32-bit big-endian and 64-bit big-endian Linux.
    @Test(arguments: ["go-386", "go-mips", "go-s390x"])
    func aRealForeignGoBinaryReads(sample: String) throws {
        let bytes = try Self.sample("\(sample).gz")
        guard case .go(let info?) = Self.withFile(bytes, { LanguageDetector.fromELF($0, exe: nil) }) else {
            Issue.record("\(sample) did not read as Go with build info")
            return
        }
        #expect(info.version.hasPrefix("go1."))
        #expect(info.path == "example.com/discotop/probe")
    }

    /// gcc -m32's object file: a real ELF32 section table with rust_panic in .strtab.
    @Test func aRealELF32ObjectIsScannedForRustPanic() throws {
        #expect(Self.withFile(try Self.sample("rust-panic-i386.elf")) { LanguageDetector.fromELF($0, exe: nil) } == .rust)
    }

    /// A sample's bytes, gunzipped when its name ends in .gz.
    static func sample(_ name: String) throws -> [UInt8] {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        let path = parts.joined(separator: "/") + "/Fixtures/elf/\(name)"
        guard name.hasSuffix(".gz") else { return Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-dc", path]
        let output = Pipe()
        gzip.standardOutput = output
        try gzip.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        return Array(data)
    }
}
