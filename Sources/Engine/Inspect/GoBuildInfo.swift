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
        guard let version = string(bytes, &offset), version.hasPrefix("go") else { return nil }
        var info = GoBuildInfo(version: version)
        if let modinfo = string(bytes, &offset) {
            for line in modinfo.split(separator: "\n") {
                let fields = line.split(separator: "\t")
                if fields.first == "path", fields.count >= 2 { info.path = String(fields[1]) }
                if fields.first == "mod", fields.count >= 2 { info.module = String(fields[1]) }
            }
        }
        return info
    }

    private static func string(_ bytes: [UInt8], _ offset: inout Int) -> String? {
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
        return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
    }
}
