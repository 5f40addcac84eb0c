import Glibc

/// Writes whole buffers to a file descriptor, retrying short writes and EINTR.
struct OutputStream {
    let fd: Int32
    static let standardOutput = OutputStream(fd: 1)

    func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // reader went away (EPIPE): nothing left to tell it
                }
                offset += written
            }
        }
    }
}
