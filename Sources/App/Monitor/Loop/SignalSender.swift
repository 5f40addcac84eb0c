import CLinux
import Engine
import Glibc

/// Sends a confirmed signal (see `SignalRequest`) and says how it went. Each target is pinned
/// with a pidfd first and its start time checked through /proc: a pid that was reused since
/// the menu opened belongs to another process, which must not get the signal.
enum SignalSender {
    static func send(_ request: SignalRequest, reader: ProcessReader = ProcessReader()) -> String {
        var sent: [String] = []
        var failed: [String] = []
        for target in request.targets {
            switch deliver(request.signal, to: target, reader: reader) {
            case nil: sent.append(String(target.pid))
            case let error?: failed.append("\(target.pid): \(error)")
            }
        }
        var parts: [String] = []
        if !sent.isEmpty { parts.append("sent \(request.signal.name) to \(sent.joined(separator: ", "))") }
        if !failed.isEmpty { parts.append("\(request.signal.name) not sent to \(failed.joined(separator: "; "))") }
        return parts.joined(separator: "; ")
    }

    /// Nil when sent, else why not.
    private static func deliver(_ signal: ProcessSignal, to target: ProcessTarget, reader: ProcessReader) -> String? {
        let pidfd = discotop_pidfd_open(target.pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        guard pidfd >= 0 || -pidfd == ENOSYS else { return describe(-pidfd) }
        guard reader.stat(of: target.pid)?.startTime == target.startTicks else { return "the process has exited" }
        // Without pidfds (before Linux 5.3) the check above and kill race, as they do in htop.
        let status = pidfd >= 0 ? discotop_pidfd_send_signal(pidfd, signal.number) : (kill(target.pid, signal.number) == 0 ? 0 : -errno)
        return status == 0 ? nil : describe(-status)
    }

    private static func describe(_ error: Int32) -> String {
        error == ESRCH ? "the process has exited" : String(cString: strerror(error))
    }
}
