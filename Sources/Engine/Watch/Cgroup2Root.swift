import CLinux
import Glibc

/// A descriptor of the cgroup v2 root, where cgroup socket programs attach to see every
/// process. Hosts in cgroup v1 or hybrid mode may have no cgroup2 mount at all: then, with
/// CAP_SYS_ADMIN, one is mounted in a private mount namespace of a short-lived thread, which
/// leaves the host's mounts as they were (the descriptor outlives the namespace).
enum Cgroup2Root {
    /// Opens the root, or says why there is none. Opened once per process.
    static let shared: Result<Int32, BPFError> = open(capabilities: .current)

    static func open(capabilities: Capabilities) -> Result<Int32, BPFError> {
        for path in mountPoints(mountinfo: SystemFiles.readText("/proc/self/mountinfo") ?? "") {
            let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { return .success(fd) }
        }
        guard capabilities.has(.sysAdmin) else { return .failure(.noCgroup2(mountErrno: nil)) }
        let target = access("/sys/fs/cgroup", F_OK) == 0 ? "/sys/fs/cgroup" : "/tmp"
        let fd = discotop_private_mount_fd("cgroup2", target)
        return fd >= 0 ? .success(fd) : .failure(.noCgroup2(mountErrno: -fd))
    }

    /// Mount points of cgroup2 file systems showing their hierarchy's root, from
    /// /proc/self/mountinfo (`id parent dev root mountpoint options... - fstype source opts`).
    static func mountPoints(mountinfo: String) -> [String] {
        mountinfo.split(separator: "\n").compactMap { line in
            let halves = line.split(separator: " - ", maxSplits: 1)
            guard halves.count == 2, halves[1].split(separator: " ").first == "cgroup2" else { return nil }
            let fields = halves[0].split(separator: " ")
            guard fields.count >= 5, fields[3] == "/" else { return nil }
            return unescape(fields[4])
        }
    }

    /// mountinfo writes space, tab, newline and backslash in paths as octal escapes (`\040`).
    static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
               let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
