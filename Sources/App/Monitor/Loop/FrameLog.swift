import Engine
import Foundation
import Glibc

/// `DISCOTOP_FRAME_LOG=<file>`: one line per frame drawn, for bench/monitor.py to measure the
/// monitor at scale from inside (render and draw times) and against the clock it starts and
/// sends keys by (CLOCK_MONOTONIC, the same on both sides). Off unless the variable names a
/// file; the monitor never reads it back.
///
/// `frame end=<ns> render_us=<µs> draw_us=<µs> key=<ns of the first key read, 0 for none> processes=<rows> rss_kb=<KB>`
final class FrameLog {
    private let fd: Int32

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["DISCOTOP_FRAME_LOG"], !path.isEmpty else { return nil }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            Diagnostics.note("DISCOTOP_FRAME_LOG: cannot open \(path): \(String(cString: strerror(errno)))")
            return nil
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func frame(start: UInt64, rendered: UInt64, drawn: UInt64, key: UInt64, processes: Int) {
        let line = "frame end=\(drawn) render_us=\((rendered - start) / 1000) draw_us=\((drawn - rendered) / 1000) key=\(key) processes=\(processes) rss_kb=\(Self.residentKB())\n"
        _ = line.withCString { write(fd, $0, strlen($0)) }
    }

    /// Resident set size from /proc/self/statm (pages), in KB. Read with plain read(2): what
    /// measures the memory must not bring in Foundation's file code to do it.
    private static func residentKB() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return 0 }
        let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }
}
