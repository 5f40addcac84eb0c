import Engine
import Glibc

/// Writes whole buffers to a file descriptor, retrying short writes and EINTR: the one place
/// discotop's output is written, so every failure reaches a caller that decides what it means.
struct OutputStream {
    let fd: Int32
    static let standardOutput = OutputStream(fd: STDOUT_FILENO)
    static let standardError = OutputStream(fd: STDERR_FILENO)

    func write(_ text: String) throws(OutputFailure) {
        try write(bytes: Array(text.utf8))
    }

    func write(bytes: [UInt8]) throws(OutputFailure) {
        // withUnsafeBytes rethrows untyped: the failure comes out as a value.
        try bytes.withUnsafeBytes { raw in Result { () throws(OutputFailure) in try write(raw) } }.get()
    }

    /// Bytes written where they are (a received buffer), not copied first.
    func write(_ raw: UnsafeRawBufferPointer) throws(OutputFailure) {
        var offset = 0
        while offset < raw.count {
            let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputFailure(errno: errno)
            }
            offset += written
        }
    }

    /// For the commands whose output goes to scripts and pipes: a reader that leaves
    /// (`| head -1`) then shows up as EPIPE from write(2), handled like any other result,
    /// instead of a SIGPIPE that kills the process before it can stop its engine.
    static func reportBrokenPipesAsErrors() {
        signal(SIGPIPE, SIG_IGN)
    }
}

/// Why an output took no more.
enum OutputFailure: Error, Equatable {
    /// EPIPE: the reader has all it wanted (`| head -1`). The output is done, not failed.
    case readerGone
    /// ENOSPC, EIO, EBADF...: what was written is incomplete.
    case failed(errno: Int32)

    init(errno code: Int32) {
        self = code == EPIPE ? .readerGone : .failed(errno: code)
    }

    /// Ends the process the way a filter should: status 0 and nothing said when the reader left,
    /// else the reason on stderr and status 1.
    func exit() -> Never {
        switch self {
        case .readerGone:
            Glibc.exit(0)
        case .failed(let code):
            Diagnostics.error("cannot write to standard output: \(String(cString: strerror(code))) (\(ErrnoName.of(result: -code)))")
            Glibc.exit(1)
        }
    }
}
