/// A minimal ELF file of either class and byte order with the named sections given: the ELF
/// header, the sections' bytes (the names table first), then the section table. The reader's
/// tests build real layouts with it, and broken ones through the overrides.
struct ELFFixture {
    enum Width { case elf32, elf64 }
    enum ByteOrder { case little, big }

    struct Section {
        var name: String
        var bytes: [UInt8]
        /// SHT_PROGBITS unless given: SHT_STRTAB for string tables.
        var type: UInt32 = 1
    }

    var width: Width = .elf64
    var byteOrder: ByteOrder = .little
    var sections: [Section]
    /// The names table after the other sections rather than first, so that with more than
    /// 0xff00 sections its index no longer fits the header either.
    var namesLast = false
    /// gABI's extended numbering: e_shnum 0 and e_shstrndx SHN_XINDEX in the header, the real
    /// values in section 0's sh_size and sh_link (what a linker writes from 0xff00 sections up).
    var extendedNumbering = false
    /// Broken files: e_shoff, and a section's sh_offset by name.
    var tableOffset: UInt64?
    var offsets: [String: UInt64] = [:]

    init(width: Width = .elf64, byteOrder: ByteOrder = .little, sections: [Section]) {
        self.width = width
        self.byteOrder = byteOrder
        self.sections = sections
    }

    /// A `.go.buildinfo` section as Go 1.18+ writes it: magic, pointer size, flags 0x2, then
    /// the varint-prefixed version.
    static func goBuildInfo(version: String) -> Section {
        let header = [0xFF] + Array(" Go buildinf:".utf8) + [8, 2] + [UInt8](repeating: 0, count: 16)
        return Section(name: ".go.buildinfo", bytes: header + [UInt8(version.utf8.count)] + Array(version.utf8))
    }

    var bytes: [UInt8] {
        let namesSection = Section(name: ".shstrtab", bytes: [], type: 3)
        let ordered = namesLast ? sections + [namesSection] : [namesSection] + sections
        var names: [UInt8] = [0]
        var nameOffsets: [Int] = []
        for section in ordered {
            nameOffsets.append(names.count)
            names += Array(section.name.utf8) + [0]
        }
        let namesIndex = 1 + ordered.firstIndex { $0.type == 3 && $0.name == ".shstrtab" }!
        let headerSize = width == .elf64 ? 64 : 52
        let entrySize = width == .elf64 ? 64 : 40
        var body: [UInt8] = []
        var placed: [(offset: UInt64, size: UInt64)] = []
        for (index, section) in ordered.enumerated() {
            let content = index + 1 == namesIndex ? names : section.bytes
            placed.append((UInt64(headerSize + body.count), UInt64(content.count)))
            body += content
        }
        while (headerSize + body.count) % 8 != 0 { body.append(0) }
        let table = UInt64(headerSize + body.count)
        let count = ordered.count + 1

        var file = ByteWriter(order: byteOrder)
        file.raw([0x7F, 0x45, 0x4C, 0x46, width == .elf64 ? 2 : 1, byteOrder == .little ? 1 : 2, 1])
        file.raw([UInt8](repeating: 0, count: 9))
        file.u16(2)
        file.u16(byteOrder == .little ? 62 : 22)
        file.u32(1)
        let shnum = extendedNumbering ? 0 : count
        let shstrndx = extendedNumbering ? 0xFFFF : namesIndex
        file.word(0, width)
        file.word(0, width)
        file.word(tableOffset ?? table, width)
        file.u32(0)
        file.u16(UInt64(headerSize))
        file.u16(0)
        file.u16(0)
        file.u16(UInt64(entrySize))
        file.u16(UInt64(shnum))
        file.u16(UInt64(shstrndx))
        file.raw(body)
        // Section 0: all zero, but for the counts extended numbering moves there.
        sectionHeader(&file, name: 0, type: 0, offset: 0, size: extendedNumbering ? UInt64(count) : 0,
                      link: extendedNumbering ? UInt32(namesIndex) : 0)
        for (index, section) in ordered.enumerated() {
            let offset = offsets[section.name] ?? placed[index].offset
            sectionHeader(&file, name: UInt32(nameOffsets[index]), type: section.type, offset: offset, size: placed[index].size, link: 0)
        }
        return file.bytes
    }

    private func sectionHeader(_ file: inout ByteWriter, name: UInt32, type: UInt32, offset: UInt64, size: UInt64, link: UInt32) {
        file.u32(UInt64(name))
        file.u32(UInt64(type))
        file.word(0, width)
        file.word(0, width)
        file.word(offset, width)
        file.word(size, width)
        file.u32(UInt64(link))
        file.u32(0)
        file.word(1, width)
        file.word(0, width)
    }
}

/// Appends integers in one byte order.
private struct ByteWriter {
    let order: ELFFixture.ByteOrder
    var bytes: [UInt8] = []

    mutating func raw(_ more: [UInt8]) { bytes += more }

    mutating func put(_ value: UInt64, size: Int) {
        let little = (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        bytes += order == .little ? little : little.reversed()
    }

    mutating func u16(_ value: UInt64) { put(value, size: 2) }
    mutating func u32(_ value: UInt64) { put(value, size: 4) }
    /// An address or offset: 4 bytes in ELF32, 8 in ELF64.
    mutating func word(_ value: UInt64, _ width: ELFFixture.Width) { put(value, size: width == .elf64 ? 8 : 4) }
}
