import Dispatch
import Glibc

/// Notices that the reader of standard output has gone while there is nothing to write:
/// `watch | head -1` on a quiet machine would otherwise run on until its next event.
enum ReaderWatch {
    /// Calls `action`, on a thread of its own, once the reader of `fd` has gone. Asked for no event at all,
    /// poll(2) still reports POLLERR on a pipe whose read end is closed and POLLHUP on a socket
    /// whose peer shut down; a file, a terminal or /dev/null reports neither, so there it waits
    /// for good. One thread stays blocked in poll for the life of the process.
    static func onGone(of fd: Int32, _ action: @escaping @Sendable () -> Void) {
        DispatchQueue.global(qos: .utility).async {
            var entry = pollfd(fd: fd, events: 0, revents: 0)
            while poll(&entry, 1, -1) < 0, errno == EINTR {}
            // POLLNVAL (fd closed) is no reader leaving: the next write says what is wrong.
            guard entry.revents & Int16(POLLERR | POLLHUP) != 0 else { return }
            action()
        }
    }
}
