import Glibc

/// What the run loop sleeps on: the terminal's input and a self-pipe that the engine's
/// mailbox, the inspect reader and the signal handlers write to. The loop wakes only when
/// one of them has something, or when the timeout it computed (the next highlight expiry,
/// the next frame a throttled redraw may take) is due: never on a timer when idle.
final class Wakeup: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw TerminalError("cannot create the monitor's wake-up pipe: \(String(cString: strerror(errno)))") }
        // Non-blocking both ways: a signal handler must never block on a full pipe, nor the drain on an empty one.
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Wakes the loop; safe from any thread. A full pipe already wakes it, so EAGAIN is fine.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    enum Reason: Equatable {
        case input, woken, timeout
        /// The terminal is gone (POLLHUP, POLLERR): nobody is left to draw for.
        case hangUp
    }

    /// Sleeps until `input` is readable, `signal()` is called or `milliseconds` pass (nil: no
    /// timeout). Drains the pipe, so each signal wakes the loop once.
    func wait(input: Int32, milliseconds: Int?) -> Reason {
        var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        let timeout = milliseconds.map { Int32(clamping: max(0, $0)) } ?? -1
        let ready = poll(&fds, 2, timeout)
        guard ready > 0 else { return .timeout }
        if fds[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(readEnd, &buffer, buffer.count) > 0 {}
        }
        if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .hangUp }
        return fds[0].revents != 0 ? .input : .woken
    }
}
