/// A streaming JSON writer into a byte buffer.
///
/// Hand-written rather than JSONEncoder because `list --json` is measured against `ss`: for
/// 1,000 processes JSONEncoder took 30-45 ms, a third of the whole budget, while this takes ~2 ms.
/// Strings are escaped per RFC 8259; invalid UTF-8 never gets here (it became U+FFFD earlier,
/// and names keep their bytes beside the text: `base64` writes them).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = CommaStack()
    /// Where `flushIfLarge` hands full buffers; nil keeps the whole document in `bytes`.
    private let sink: (([UInt8]) -> Void)?

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        sink = nil
    }

    /// A writer that streams: the document goes to `sink` in chunks of about `chunk` bytes, so a
    /// long one (`list --json` at 10,000 processes is ~8 MB) costs one chunk of memory.
    init(chunk: Int = 1 << 16, sink: @escaping ([UInt8]) -> Void) {
        bytes.reserveCapacity(chunk + 4096)
        self.sink = sink
    }

    /// Hands what is written so far to the sink once it passes 64 KiB; call between values.
    mutating func flushIfLarge() {
        guard let sink, bytes.count >= 1 << 16 else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// A byte outside any value (the newline that ends a document or a line).
    mutating func raw(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Hands the rest to the sink.
    mutating func finish() {
        guard let sink, !bytes.isEmpty else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.push()
        body(&self)
        needsComma.pop()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.push()
        body(&self)
        needsComma.pop()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"name":`; the next value written belongs to it.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma.top = false
    }

    /// Writes `"name":` for a key known only at run time (escaped like any string). Named
    /// apart from `key(_:)`: a literal would pick the `String` overload, and every literal
    /// key of a document was scanned for escapes.
    mutating func key(text name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma.top = false
    }

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most text needs no escaping: copy it whole.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F }) {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 { appendEscaped(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Bytes as a base64 string (RFC 4648, padded): what JSON carries when text cannot.
    mutating func base64(_ data: [UInt8]) {
        separate()
        let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        bytes.append(UInt8(ascii: "\""))
        var index = 0
        while index < data.count {
            let count = min(3, data.count - index)
            var group = UInt32(data[index]) << 16
            if count > 1 { group |= UInt32(data[index + 1]) << 8 }
            if count > 2 { group |= UInt32(data[index + 2]) }
            for position in 0..<4 {
                bytes.append(position <= count ? alphabet[Int((group >> (18 - 6 * UInt32(position))) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20, 0x7F:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: bytes.append(byte)
        }
    }

    /// Integers are formatted straight into the buffer: no String per number.
    mutating func number<N: BinaryInteger>(_ value: N) {
        separate()
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            // Filled from the end, so the digits are appended in one call, not one per byte.
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[start...]))
        }
    }

    mutating func number(_ value: Double) {
        separate()
        bytes.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout JSONWriter, T) -> Void) {
        if let value { write(&self, value) } else { null() }
    }

    private mutating func separate() {
        if needsComma.top { bytes.append(UInt8(ascii: ",")) }
        needsComma.top = true
    }
}

/// Whether each open object or array already holds a value, innermost last: bits of one word
/// for the first 64 levels (an array of flags, pushed and popped per value, was a tenth of
/// `list --json`'s writing time), an array only past them.
private struct CommaStack {
    private var bits: UInt64 = 0
    private var depth = 0
    private var deeper: [Bool] = []

    var top: Bool {
        get { depth < 64 ? bits & (1 << UInt64(depth)) != 0 : deeper[depth - 64] }
        set {
            if depth < 64 {
                bits = newValue ? bits | (1 << UInt64(depth)) : bits & ~(1 << UInt64(depth))
            } else {
                deeper[depth - 64] = newValue
            }
        }
    }

    mutating func push() {
        depth += 1
        if depth < 64 { top = false } else { deeper.append(false) }
    }

    mutating func pop() {
        if depth >= 64 { deeper.removeLast() }
        depth -= 1
    }
}
