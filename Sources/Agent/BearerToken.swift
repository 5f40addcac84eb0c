import Engine

/// The secret every request but `/healthz` must carry as `Authorization: Bearer <token>`.
public struct BearerToken: Sendable {
    private let expected: [UInt8]

    package struct Unusable: Error, CustomStringConvertible {
        var path: String
        var reason: String
        package var description: String { "--token-file \(SafeText.sanitize(path)): \(reason)" }
    }

    public init(_ token: String) {
        expected = Array("Bearer \(token)".utf8)
    }

    /// The file's content less trailing blanks and newlines (`echo secret > file` adds one).
    package init(file path: String) throws(Unusable) {
        let bytes: [UInt8]
        switch SystemFiles.read(path, limit: 4096) {
        case .value(let read): bytes = read
        case .failed(let errno): throw Unusable(path: path, reason: ErrnoName.of(result: -errno))
        }
        var end = bytes.endIndex
        while end > 0, [UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains(bytes[end - 1]) { end -= 1 }
        guard end > 0 else { throw Unusable(path: path, reason: "the file is empty") }
        guard let token = String(validating: bytes[..<end], as: UTF8.self), token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Unusable(path: path, reason: "the token must be printable ASCII without blanks")
        }
        self.init(token)
    }

    /// The `Authorization` header value a client sends (`--connect` with `--token-file`).
    package var authorization: String { String(decoding: expected, as: UTF8.self) }

    /// Whether an Authorization header value is this token. Takes as long for a wrong token
    /// as for the right one of the same length, so timing does not give it away byte by byte.
    func admits(_ header: String?) -> Bool {
        guard let header else { return false }
        let given = Array(header.utf8)
        var difference = given.count == expected.count ? 0 : 1
        for index in expected.indices {
            difference |= Int(expected[index] ^ (index < given.count ? given[index] : 0))
        }
        return difference == 0
    }
}
