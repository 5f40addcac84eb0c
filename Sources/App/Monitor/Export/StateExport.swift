import Dispatch
import Engine
import Glibc

/// Ctrl-S: the engine's state as the monitor holds it (frozen while paused) written as the
/// document `discotop list --all --json` prints, through the same `ListJSON`. It is written
/// off the UI thread: at 10,000 processes it reads each one's cgroup and environment, as
/// `list` does. The outcome waits here, as a notice, until the loop takes it.
final class StateExport: Sendable {
    private let queue = DispatchQueue(label: "discotop.export")
    private let done = Locked<String?>(nil)
    private let wakeup: Wakeup
    private let file: ExportFile

    init(wakeup: Wakeup, file: ExportFile = ExportFile()) {
        self.wakeup = wakeup
        self.file = file
    }

    func write(_ state: EngineState, at wall: UInt64) {
        queue.async { [self] in
            let outcome = Self.write(state, to: file, at: wall)
            done.withLock { $0 = outcome }
            wakeup.signal()
        }
    }

    /// What the status line says afterwards: where the file went, or why it went nowhere.
    static func write(_ state: EngineState, to file: ExportFile, at wall: UInt64) -> String {
        guard state.lastFullScan != nil else { return "nothing to export yet: the first scan is not done" }
        var count = 0
        let written = file.write(host: ListJSON.hostname(), at: wall) { fd in
            var failure: Int32?
            count = ListJSON.write(state: state) { chunk in
                guard failure == nil else { return }
                failure = Self.writeAll(chunk, to: fd)
            } ?? 0
            return failure
        }
        switch written {
        case .success(let path): return "exported \(count) processes to \(path)"
        case .failure(let failure): return failure.description
        }
    }

    /// Nil once every byte is written, else the errno that stopped it.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }

    func take() -> String? {
        done.withLock { done in
            defer { done = nil }
            return done
        }
    }
}
