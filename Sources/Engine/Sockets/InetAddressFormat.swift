import Glibc

/// Formats raw address bytes (network order, as the kernel stores them) as text.
enum InetAddressFormat {
    static func string(family: AddressFamily, bytes: UnsafeRawBufferPointer) -> String {
        let af = family == .ipv4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let result = buffer.withUnsafeMutableBufferPointer { out in
            inet_ntop(af, bytes.baseAddress, out.baseAddress, socklen_t(out.count))
        }
        guard result != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func string(family: AddressFamily, bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { string(family: family, bytes: $0) }
    }
}
