/// The Go version and module path a Go binary carries in `.go.buildinfo` (Go 1.18+ layout:
/// a 32-byte header with flag 0x2, then varint-prefixed version and module info strings).
public struct GoBuildInfo: Sendable, Equatable {
    public var version: String
    /// The main package path (`path` line); the module (`mod` line) when present.
    public var path: String?
    public var module: String?

    public static func parse(_ bytes: [UInt8]) -> GoBuildInfo? {
        let magic: [UInt8] = [0xFF] + Array(" Go buildinf:".utf8)
        guard bytes.count >= 32, Array(bytes[0..<14]) == magic, bytes[15] & 0x2 != 0 else { return nil }
        var offset = 32
        guard let versionBytes = field(bytes, &offset) else { return nil }
        let version = String(decoding: versionBytes, as: UTF8.self)
        guard version.hasPrefix("go") else { return nil }
        var info = GoBuildInfo(version: version)
        if var modinfo = field(bytes, &offset) {
            // The module text sits between two 16-byte binary sentinels (runtime/debug's infoStart
            // and infoEnd); with them left on, the first line would not read as `path`.
            if modinfo.count >= 32, Array(modinfo[0..<16]) == infoStart {
                modinfo = Array(modinfo[16..<(modinfo.count - 16)])
            }
            for line in String(decoding: modinfo, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: "\t")
                if fields.first == "path", fields.count >= 2 { info.path = String(fields[1]) }
                if fields.first == "mod", fields.count >= 2 { info.module = String(fields[1]) }
            }
        }
        return info
    }

    /// A varint-length-prefixed field at `offset`, which it advances.
    /// runtime/debug's `infoStart` marker.
    private static let infoStart: [UInt8] = [0x30, 0x77, 0xAF, 0x0C, 0x92, 0x74, 0x08, 0x02, 0x41, 0xE1, 0xC1, 0x07, 0xE6, 0xD6, 0x18, 0xE6]

    private static func field(_ bytes: [UInt8], _ offset: inout Int) -> [UInt8]? {
        var length = 0
        var shift = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            length |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            guard shift < 35 else { return nil }
        }
        guard length >= 0, offset + length <= bytes.count else { return nil }
        defer { offset += length }
        return Array(bytes[offset..<(offset + length)])
    }
}
