import Engine
import Foundation
import Glibc

/// Where Ctrl-S writes the monitor's state: `discotop-<host>-<UTC time>.json` in the directory
/// the monitor was started in, as a shell user would look for it, else (that directory is not
/// writable, e.g. `/`) in `$XDG_STATE_HOME/discotop`, `~/.local/state/discotop` by default.
struct ExportFile {
    /// Tried in this order; the first that takes the file is where it goes.
    let directories: [String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment, currentDirectory: String = FileManager.default.currentDirectoryPath) {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        directories = [currentDirectory, state + "/discotop"]
    }

    init(directories: [String]) {
        self.directories = directories
    }

    /// `discotop-web1-20261201T231908Z.json`: the host and when, sortable, and safe in any
    /// file system (a host name is the kernel's, and may hold any byte but `/`).
    static func name(host: String, at wall: UInt64, attempt: Int = 1) -> String {
        let stamp = WallClock.rfc3339(wall).prefix { $0 != "." }.filter { $0 != "-" && $0 != ":" } + "Z"
        let safeHost = String(host.unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "_") ? Character($0) : "-" })
        return "discotop-\(safeHost.isEmpty ? "unknown" : safeHost)-\(stamp)\(attempt > 1 ? "-\(attempt)" : "").json"
    }

    /// Writes through `write` to a hidden temporary file, then gives it its name, never over
    /// an existing file (two exports in one second get `-2`): no reader ever sees half a
    /// document under the name. A write that fails leaves nothing. Returns the file's path, or
    /// why no directory took it.
    func write(host: String, at wall: UInt64, _ write: (Int32) -> Int32?) -> Result<String, ExportFailure> {
        var reasons: [String] = []
        for directory in directories {
            if directory != directories.first { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            let prefix = directory == "/" ? "/" : directory + "/"
            let temporary = prefix + ".\(Self.name(host: host, at: wall)).\(getpid()).partial"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                reasons.append("\(directory): \(Self.text(errno))")
                continue
            }
            let error = write(fd) ?? (fsync(fd) == 0 ? nil : errno)
            let closed = close(fd) == 0 ? nil : errno
            defer { unlink(temporary) }
            if let error = error ?? closed {
                reasons.append("\(directory): \(Self.text(error))")
                continue
            }
            // link(2) fails with EEXIST rather than replace a file, as rename(2) would.
            var failure: Int32 = EEXIST
            for attempt in 1...100 {
                let path = prefix + Self.name(host: host, at: wall, attempt: attempt)
                if link(temporary, path) == 0 { return .success(path) }
                failure = errno
                if failure != EEXIST { break }
            }
            reasons.append("\(directory): \(Self.text(failure))")
        }
        return .failure(ExportFailure(reasons: reasons))
    }

    private static func text(_ error: Int32) -> String { String(cString: strerror(error)) }
}

struct ExportFailure: Error, CustomStringConvertible {
    var reasons: [String]

    var description: String { "cannot export: " + reasons.joined(separator: "; ") }
}
