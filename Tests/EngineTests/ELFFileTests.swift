import Glibc
import Testing
@testable import Engine

@Suite struct ELFFileTests {
    /// A minimal 64-bit little-endian ELF: a null section, `.shstrtab` and `.go.buildinfo`
    /// (41 bytes at `buildInfoOffset`), the section headers at `tableOffset`.
    static func elf(tableOffset: UInt64 = 64, buildInfoOffset: UInt64 = 320) -> [UInt8] {
        let names = Array("\0.shstrtab\0.go.buildinfo\0".utf8)
        var bytes = [UInt8](repeating: 0, count: 352)
        func put(_ value: UInt64, at offset: Int, size: Int) {
            for i in 0..<size { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        }
        bytes.replaceSubrange(0..<7, with: [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1])
        put(tableOffset, at: 0x28, size: 8)
        put(64, at: 0x3A, size: 2)
        put(3, at: 0x3C, size: 2)
        put(1, at: 0x3E, size: 2)
        put(1, at: 128, size: 4)
        put(256, at: 128 + 0x18, size: 8)
        put(UInt64(names.count), at: 128 + 0x20, size: 8)
        put(11, at: 192, size: 4)
        put(buildInfoOffset, at: 192 + 0x18, size: 8)
        put(41, at: 192 + 0x20, size: 8)
        bytes.replaceSubrange(256..<(256 + names.count), with: names)
        // Go 1.18+ build info: magic, pointer size, flags 0x2, then the varint-prefixed version.
        let buildInfo = [0xFF] + Array(" Go buildinf:".utf8) + [8, 2] + [UInt8](repeating: 0, count: 16)
        bytes.replaceSubrange(320..<352, with: buildInfo)
        return bytes + [8] + Array("go1.22.1".utf8)
    }

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

    @Test func theMinimalFileReadsAsGo() {
        let language = Self.withFile(Self.elf()) { LanguageDetector.fromELF($0, exe: nil) }
        #expect(language == .go(GoBuildInfo(version: "go1.22.1")))
    }

    /// Found by Fuzz/FuzzELF: an offset past off_t's range trapped converting for pread.
    @Test func aSectionTableBeyondOffTIsNoELF() {
        #expect(Self.withFile(Self.elf(tableOffset: 1 << 63)) { ELFFile(path: $0) } == nil)
    }

    @Test func aSectionBeyondOffTReadsEmpty() {
        let language = Self.withFile(Self.elf(buildInfoOffset: UInt64.max)) { LanguageDetector.fromELF($0, exe: nil) }
        #expect(language == .go(nil))
    }
}
