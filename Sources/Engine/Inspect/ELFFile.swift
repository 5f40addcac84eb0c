import Glibc

/// Just enough ELF (64-bit little-endian) to find named sections; reads headers and the few
/// sections asked for with pread, never the whole binary.
struct ELFFile {
    struct Section {
        var name: String
        var offset: UInt64
        var size: UInt64
    }

    let sections: [Section]
    private let fd: Int32

    /// Opens `path`; nil if it is not a readable 64-bit little-endian ELF file.
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let parsed = ELFFile.readSections(fd) else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        sections = parsed
    }

    func closeFile() { Glibc.close(fd) }

    func section(_ name: String) -> Section? { sections.first { $0.name == name } }

    /// The bytes of a section, at most `limit`.
    func bytes(of section: Section, limit: Int = 1 << 20) -> [UInt8] {
        ELFFile.read(fd, offset: section.offset, count: Int(min(section.size, UInt64(limit))))
    }

    static func read(_ fd: Int32, offset: UInt64, count: Int) -> [UInt8] {
        // Offsets come from the file's own headers: one beyond off_t is in no file, and
        // converting it would trap.
        guard count > 0, let start = off_t(exactly: offset) else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, start) }
        return got > 0 ? Array(buffer[0..<got]) : []
    }

    private static func readSections(_ fd: Int32) -> [Section]? {
        let header = read(fd, offset: 0, count: 64)
        guard header.count == 64, header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2, header[5] == 1 else { return nil }
        func u16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ b: [UInt8], _ o: Int) -> UInt64 { (0..<4).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * $1) } }
        func u64(_ b: [UInt8], _ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * $1) } }
        let tableOffset = u64(header, 0x28)
        let entrySize = u16(header, 0x3A)
        let count = u16(header, 0x3C)
        let namesIndex = u16(header, 0x3E)
        guard entrySize == 64, count > 0, count < 4096, namesIndex < count else { return nil }
        let table = read(fd, offset: tableOffset, count: entrySize * count)
        guard table.count == entrySize * count else { return nil }
        let raw = (0..<count).map { i -> (UInt64, UInt64, UInt64) in
            let o = i * entrySize
            return (u32(table, o), u64(table, o + 0x18), u64(table, o + 0x20))
        }
        let names = read(fd, offset: raw[namesIndex].1, count: Int(min(raw[namesIndex].2, 1 << 20)))
        return raw.map { nameOffset, offset, size in
            let start = Int(nameOffset)
            let end = start < names.count ? (names[start...].firstIndex(of: 0) ?? names.count) : start
            let name = start < names.count ? String(decoding: names[start..<end], as: UTF8.self) : ""
            return Section(name: name, offset: offset, size: size)
        }
    }
}
