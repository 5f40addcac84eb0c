import Glibc

/// Reads JSON text (RFC 8259) value by value, straight into the types a caller knows the
/// document to hold: what `--connect` reads back of `JSONWriter`'s documents and lines.
///
/// Not Foundation's JSONDecoder: `list --connect` spent two thirds of its time there (65 ms of
/// 100 for a 900 KB document at P=1000), building a tree of every value and then a Codable
/// container per object, before the records were made. This reads the bytes once and keeps
/// nothing but the values asked for; a value not asked for is skipped.
struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    private var at = 0
    /// Where the value being read is, for messages: `.processes[3].pid`.
    private var path: [Component] = []

    private enum Component {
        case key(Key)
        case index(Int)
    }

    /// An object's key, compared where it lies in the document: `case "pid":` matches it
    /// without a String made for every key of every process.
    struct Key: CustomStringConvertible {
        fileprivate enum Storage {
            case raw(UnsafeRawBufferPointer)
            /// A key with escapes, as its text.
            case text(String)
        }

        fileprivate let storage: Storage

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            switch key.storage {
            case .raw(let bytes):
                return pattern.withUTF8Buffer { $0.count == bytes.count && memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            case .text(let text):
                return pattern.withUTF8Buffer { text.utf8.elementsEqual($0) }
            }
        }

        var description: String {
            switch storage {
            case .raw(let bytes): String(decoding: bytes, as: UTF8.self)
            case .text(let text): text
            }
        }
    }

    /// What went wrong, and where: the message `--connect` prints after "its answer is not ...".
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `body` as the one value of `bytes`, which only white space may follow.
    static func read<T>(_ bytes: [UInt8], _ body: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> T {
        let result: Result<T, Failure> = bytes.withUnsafeBytes { raw in
            var reader = JSONReader(bytes: raw)
            do throws(Failure) {
                let value = try body(&reader)
                reader.skipBlanks()
                guard reader.at == raw.count else { throw reader.notJSON() }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: Structure

    /// Reads an object: `field` is called with each key, and must read (or `skip`) its value.
    mutating func object(_ field: (inout JSONReader, Key) throws(Failure) -> Void) throws(Failure) {
        guard try !opens(UInt8(ascii: "{"), empty: UInt8(ascii: "}")) else { return }
        repeat {
            let key = try key()
            try expect(UInt8(ascii: ":"))
            path.append(.key(key))
            try field(&self, key)
            path.removeLast()
        } while try !ends(at: UInt8(ascii: "}"))
    }

    /// Reads an array: `element` is called for each, with its index, and must read it.
    mutating func array(_ element: (inout JSONReader, Int) throws(Failure) -> Void) throws(Failure) {
        guard try !opens(UInt8(ascii: "["), empty: UInt8(ascii: "]")) else { return }
        var index = 0
        repeat {
            path.append(.index(index))
            try element(&self, index)
            path.removeLast()
            index += 1
        } while try !ends(at: UInt8(ascii: "]"))
    }

    /// Reads `open`; true when `close` follows at once: an empty object or array.
    private mutating func opens(_ open: UInt8, empty close: UInt8) throws(Failure) -> Bool {
        try expect(open)
        skipBlanks()
        guard peek() == close else { return false }
        at += 1
        return true
    }

    /// After a member: true past `close`, false past the comma before the next one.
    private mutating func ends(at close: UInt8) throws(Failure) -> Bool {
        skipBlanks()
        guard let next = peek() else { throw notJSON() }
        at += 1
        if next == close { return true }
        guard next == UInt8(ascii: ",") else { throw notJSON() }
        return false
    }

    /// The elements of an array, each read by `element`.
    mutating func list<T>(_ element: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> [T] {
        var values: [T] = []
        try array { reader, _ throws(Failure) in values.append(try element(&reader)) }
        return values
    }

    /// Null, read and reported; anything else is left for the caller.
    mutating func null() -> Bool {
        skipBlanks()
        guard bytes.count - at >= 4, bytes[at] == UInt8(ascii: "n"), bytes[at + 1] == UInt8(ascii: "u"), bytes[at + 2] == UInt8(ascii: "l"),
              bytes[at + 3] == UInt8(ascii: "l") else { return false }
        at += 4
        return true
    }

    /// `read`'s value, or nil for null.
    mutating func optional<T>(_ read: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> T? {
        null() ? nil : try read(&self)
    }

    /// Passes over one value of any kind, checking only that it is JSON.
    mutating func skip() throws(Failure) {
        skipBlanks()
        switch peek() {
        case UInt8(ascii: "{")?: try object { reader, _ throws(Failure) in try reader.skip() }
        case UInt8(ascii: "[")?: try array { reader, _ throws(Failure) in try reader.skip() }
        case UInt8(ascii: "\"")?: _ = try string()
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?: _ = try bool()
        case UInt8(ascii: "n")?: if !null() { throw notJSON() }
        default: _ = try numberText()
        }
    }

    // MARK: Values

    /// A key: its bytes in place when it has no escape, which is always so for discotop's.
    private mutating func key() throws(Failure) -> Key {
        skipBlanks()
        guard peek() == UInt8(ascii: "\"") else { throw notJSON() }
        var end = at + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let key = Key(storage: .raw(UnsafeRawBufferPointer(rebasing: bytes[(at + 1)..<end])))
            at = end + 1
            return key
        }
        return Key(storage: .text(try string()))
    }

    mutating func string() throws(Failure) -> String {
        skipBlanks()
        guard peek() == UInt8(ascii: "\"") else { throw wrongType() }
        at += 1
        let start = at
        // Most strings have no escape: one pass finds the end, and the bytes are the text.
        while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") {
            guard bytes[at] >= 0x20 else { throw notJSON() }
            at += 1
        }
        guard at < bytes.count else { throw notJSON() }
        if bytes[at] == UInt8(ascii: "\"") {
            at += 1
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(at - 1)]), as: UTF8.self)
        }
        var text = Array(bytes[start..<at])
        while true {
            guard at < bytes.count else { throw notJSON() }
            let byte = bytes[at]
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try unescape(into: &text)
            case ..<0x20:
                throw notJSON()
            default:
                text.append(byte)
            }
        }
    }

    /// A string naming a case of `T`.
    mutating func value<T: RawRepresentable>(_: T.Type) throws(Failure) -> T where T.RawValue == String {
        guard let value = T(rawValue: try string()) else { throw wrongType() }
        return value
    }

    mutating func bool() throws(Failure) -> Bool {
        skipBlanks()
        if bytes.count - at >= 4, bytes[at] == UInt8(ascii: "t"), bytes[at + 1] == UInt8(ascii: "r"), bytes[at + 2] == UInt8(ascii: "u"),
           bytes[at + 3] == UInt8(ascii: "e") {
            at += 4
            return true
        }
        if bytes.count - at >= 5, bytes[at] == UInt8(ascii: "f"), bytes[at + 1] == UInt8(ascii: "a"), bytes[at + 2] == UInt8(ascii: "l"),
           bytes[at + 3] == UInt8(ascii: "s"), bytes[at + 4] == UInt8(ascii: "e") {
            at += 5
            return false
        }
        throw wrongType()
    }

    /// An integer that fits `T`; a fraction, an exponent or a value out of range is a bad value.
    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) throws(Failure) -> T {
        let text = try numberText()
        var index = text.startIndex
        let negative = text[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value: T = 0
        while index < text.endIndex {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw wrongType() }
            let (shifted, over1) = value.multipliedReportingOverflow(by: 10)
            let (next, over2) = negative ? shifted.subtractingReportingOverflow(T(digit)) : shifted.addingReportingOverflow(T(digit))
            guard !over1, !over2 else { throw wrongType() }
            value = next
            index += 1
        }
        return value
    }

    mutating func double() throws(Failure) -> Double {
        let text = try numberText()
        guard let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: text), as: UTF8.self)) else { throw wrongType() }
        return value
    }

    // MARK: Failures

    /// The value at the current path is not of the kind the document has there.
    func wrongType() -> Failure {
        Failure(description: path.isEmpty ? "not JSON" : "bad \(pathText)")
    }

    /// A field the document always has is not there.
    func missing(_ key: String) -> Failure {
        Failure(description: "no \(pathText).\(key)")
    }

    private func notJSON() -> Failure {
        Failure(description: "not JSON")
    }

    private var pathText: String {
        path.map { component -> String in
            switch component {
            case .key(let key): ".\(key.description)"
            case .index(let index): "[\(index)]"
            }
        }.joined()
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        at < bytes.count ? bytes[at] : nil
    }

    private mutating func skipBlanks() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        skipBlanks()
        guard peek() == byte else { throw at < bytes.count && path.isEmpty == false ? wrongType() : notJSON() }
        at += 1
    }

    /// The bytes of a number as the grammar has it: `-? int frac? exp?`.
    private mutating func numberText() throws(Failure) -> Slice<UnsafeRawBufferPointer> {
        skipBlanks()
        let start = at
        if peek() == UInt8(ascii: "-") { at += 1 }
        let digits = at
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { at += 1 }
        guard at > digits else { throw at < bytes.count ? wrongType() : notJSON() }
        if peek() == UInt8(ascii: ".") {
            at += 1
            let fraction = at
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { at += 1 }
            guard at > fraction else { throw notJSON() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            at += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { at += 1 }
            let exponent = at
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { at += 1 }
            guard at > exponent else { throw notJSON() }
        }
        return bytes[start..<at]
    }

    /// The character after a backslash, as UTF-8; `\u` with its surrogate pair where there is one.
    private mutating func unescape(into text: inout [UInt8]) throws(Failure) {
        guard let byte = peek() else { throw notJSON() }
        at += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar), bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                at += 2
                let low = try hex4()
                scalar = (0xDC00..<0xE000).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
            }
            text += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
        default:
            throw notJSON()
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard bytes.count - at >= 4 else { throw notJSON() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw notJSON()
            }
            value = value << 4 | UInt32(digit)
            at += 1
        }
        return value
    }
}
