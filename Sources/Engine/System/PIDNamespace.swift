import Glibc

/// Which pid namespace discotop runs in. eBPF programs report pids as the initial namespace
/// numbers them; only there do those pids name the processes in discotop's /proc.
public enum PIDNamespace {
    /// The kernel gives the initial pid namespace a fixed inode (PROC_PID_INIT_INO in
    /// include/linux/proc_ns.h), so no other process is needed to compare with.
    static let initialInode: UInt = 0xEFFF_FFFC

    /// True in the initial pid namespace, and when the namespace cannot be read (a kernel
    /// without /proc/self/ns: nothing suggests a namespace of our own).
    public static var isInitial: Bool {
        var info = stat()
        guard stat("/proc/self/ns/pid", &info) == 0 else { return true }
        return UInt(info.st_ino) == initialInode
    }
}
