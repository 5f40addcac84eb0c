#ifndef DISCOTOP_CLINUX_H
#define DISCOTOP_CLINUX_H

#include <linux/netlink.h>  // struct sockaddr_nl
#include <stddef.h>
#include "terminal.h"

/// Moves the calling thread into the network namespace behind `fd`
/// (an open /proc/PID/ns/net). Returns 0, or -1 with errno set.
int discotop_enter_netns(int fd);

/// getdents64(2): raw directory entries into `buffer`. Returns bytes read, 0 at the end, or -1.
/// Used instead of readdir so that walking thousands of /proc/PID/fd directories costs one
/// open and a few reads each (fdopendir adds an fcntl and an fstat per directory).
long discotop_getdents64(int fd, void *buffer, unsigned long size);

/// The symbolic name of an errno value ("EADDRINUSE"), or NULL when unknown.
const char *discotop_errno_name(int code);

/// glibc declares memmem only under _GNU_SOURCE, and Swift's Glibc module is built without it;
/// this is glibc's own prototype.
extern void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

/// O_PATH, which glibc's fcntl.h defines only under _GNU_SOURCE (the kernel's value is the
/// same on every architecture discotop builds for).
static const int discotop_o_path = 010000000;

/// Unmaps the resident pages of the executable's own code (MADV_DONTNEED on its read-only,
/// executable segments). Start-up touches code all over a 100 MB static binary, and the
/// kernel's fault-around maps 16 pages around each touch, so a process that ran for a moment
/// holds ~11 MB of code it will mostly never run again; what it does run faults back in from
/// the page cache. Returns the bytes released.
long discotop_release_startup_text(void);

/// Mounts a file system of `fstype` (e.g. "cgroup2") on `target` in a mount namespace of a
/// short-lived thread of its own, opens `target` and returns that descriptor (or -errno). The
/// host's mounts are untouched; the namespace ends with the thread, and the descriptor keeps
/// the mounted file system alive. Needs CAP_SYS_ADMIN.
int discotop_private_mount_fd(const char *fstype, const char *target);

/// How many terminal columns glibc's wcwidth gives `scalar` under a UTF-8 locale (C.UTF-8,
/// else en_US.UTF-8), whatever the process's own locale: 0, 1, 2, or -1 when it is not
/// printable. Without any UTF-8 locale on the system, -1 for everything but printable ASCII.
int discotop_wcwidth(unsigned int scalar);

/// 1 when `path` is the root of a mounted tracefs, else 0.
int discotop_is_tracefs(const char *path);

/// What `getsockname` and friends say about a socket of another process.
struct discotop_socket_info {
    unsigned long long inode;
    unsigned long long netns; /* 0 when SIOCGSKNS is refused */
    int family;
    int type;
    int protocol;
    int listening; /* SO_ACCEPTCONN */
    int connected; /* has a peer */
    unsigned short port;
    unsigned char address[16];
};

/// Describes descriptor `fd` of process `pid` through a duplicate taken with pidfd_getfd
/// (Linux 5.6+, the same ptrace access as reading /proc/PID/fd), closed again before the
/// return. 0 on success, else -errno.
int discotop_foreign_socket(int pid, int fd, struct discotop_socket_info *out);

/// A descriptor for process `pid` that keeps naming that process even if its pid is reused
/// (pidfd_open, Linux 5.3+). A descriptor, else -errno.
int discotop_pidfd_open(int pid);

/// Sends `signal` to the process a pidfd names (pidfd_send_signal). 0, else -errno.
int discotop_pidfd_send_signal(int pidfd, int signal);

#endif
