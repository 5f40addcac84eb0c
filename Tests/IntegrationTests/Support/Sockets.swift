import Glibc

/// Sockets opened by the test process itself, so kernel events can be matched by our own pid.
struct TestSocket {
    let fd: Int32

    init(_ family: Int32, _ type: Int32) {
        fd = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    /// bind(2)'s result: 0 or -errno.
    @discardableResult
    func bind(_ address: String, _ port: UInt16) -> Int32 {
        var storage = sockaddr_storage()
        var length: socklen_t
        if address.contains(":") {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = port.bigEndian
            inet_pton(AF_INET6, address, &a.sin6_addr)
            withUnsafeBytes(of: a) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &a.sin_addr)
            withUnsafeBytes(of: a) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        return result == 0 ? 0 : -errno
    }

    @discardableResult
    func listen() -> Int32 { Glibc.listen(fd, 16) == 0 ? 0 : -errno }

    /// The port the kernel gave the socket.
    var port: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.loadUnaligned(fromByteOffset: 2, as: UInt16.self)) }
    }

    var inode: UInt64 {
        var info = stat()
        fstat(fd, &info)
        return UInt64(info.st_ino)
    }

    func close() { Glibc.close(fd) }
}
