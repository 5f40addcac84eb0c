import CElf
import CLinux
import Glibc

/// An executable's named sections, read through elfutils' libelf: 32- and 64-bit files in either
/// byte order, and section counts too large for the ELF header (gABI's extended numbering keeps
/// them in section 0). libelf reads with pread here (ELF_C_READ, not mmap): the headers, then
/// only the section bytes asked for, never the whole binary; a file that shrinks while it is
/// read cannot raise SIGBUS.
final class ELFFile {
    struct Section {
        var name: String
        var offset: UInt64
        /// Bytes in the file: 0 for SHT_NOBITS (`.bss`), which has none there.
        var size: UInt64
    }

    let sections: [Section]
    private let fd: Int32
    private let elf: OpaquePointer

    /// Opens `path`; nil if it is not a readable ELF file with sections (libelf reads a section
    /// table that lies outside the file as none at all).
    init?(path: String) {
        guard ELFFile.libelfReady else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let elf = elf_begin(fd, ELF_C_READ, nil) else {
            Glibc.close(fd)
            return nil
        }
        guard elf_kind(elf) == ELF_K_ELF, let parsed = ELFFile.readSections(elf), !parsed.isEmpty else {
            elf_end(elf)
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        self.elf = elf
        sections = parsed
    }

    deinit {
        elf_end(elf)
        Glibc.close(fd)
    }

    func section(_ name: String) -> Section? { sections.first { $0.name == name } }

    /// The bytes of a section, at most `limit`.
    func bytes(of section: Section, limit: Int = 1 << 20) -> [UInt8] {
        withBytes(of: section, limit: limit) { Array($0) }
    }

    /// Whether the first `limit` bytes of a section hold `needle` (memmem, over libelf's buffer).
    func contains(_ needle: [UInt8], in section: Section, limit: Int) -> Bool {
        withBytes(of: section, limit: limit) { haystack in
            guard !haystack.isEmpty, !needle.isEmpty else { return false }
            return needle.withUnsafeBytes {
                memmem(haystack.baseAddress, haystack.count, $0.baseAddress, $0.count) != nil
            }
        }
    }

    /// Calls `body` with the first `limit` bytes of a section, empty when they are not in the
    /// file. The buffer is libelf's and lives until this file is released.
    private func withBytes<T>(of section: Section, limit: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let count = Int(min(section.size, UInt64(max(limit, 0))))
        // Offsets come from the file's own headers: one beyond int64_t is in no file, and
        // converting it would trap.
        guard count > 0, let offset = Int64(exactly: section.offset),
              let data = elf_getdata_rawchunk(elf, offset, count, ELF_T_BYTE), let base = data.pointee.d_buf
        else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: base, count: data.pointee.d_size))
    }

    /// libelf refuses every call until the caller has named the ELF version it understands.
    private static let libelfReady = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

    private static func readSections(_ elf: OpaquePointer) -> [Section]? {
        // Both read section 0 when the header's own fields overflow (extended numbering).
        var count = 0
        var namesIndex = 0
        guard elf_getshdrnum(elf, &count) == 0, elf_getshdrstrndx(elf, &namesIndex) == 0 else { return nil }
        var sections: [Section] = []
        sections.reserveCapacity(count)
        var next = elf_nextscn(elf, nil)
        while let scn = next {
            var header = GElf_Shdr()
            guard gelf_getshdr(scn, &header) != nil else { return nil }
            let name = elf_strptr(elf, namesIndex, Int(header.sh_name)).map { String(cString: $0) } ?? ""
            let inFile = header.sh_type != SHT_NOBITS
            sections.append(Section(name: name, offset: header.sh_offset, size: inFile ? header.sh_size : 0))
            next = elf_nextscn(elf, scn)
        }
        return sections
    }
}
