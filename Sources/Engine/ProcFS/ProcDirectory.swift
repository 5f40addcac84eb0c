import CLinux
import Glibc

/// One process's /proc/PID, held open (O_PATH) while several of its files are read: each read
/// then looks up one name instead of three, and they all see the same process even if the pid
/// is reused meanwhile (the reads fail with ESRCH instead of reading the newcomer).
struct ProcDirectory {
    let fd: Int32

    /// Runs `body` with the directory open, or with nil when it cannot be opened (the process
    /// is gone, or /proc is not what it should be): callers then read by path, as before.
    static func with<T>(pid: Int32, procRoot: String, _ body: (ProcDirectory?) -> T) -> T {
        let fd = open("\(procRoot)/\(pid)", discotop_o_path | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return body(nil) }
        defer { close(fd) }
        return body(ProcDirectory(fd: fd))
    }
}
