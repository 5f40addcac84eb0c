#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <string.h>
#include "CLinux.h"

int discotop_enter_netns(int fd) { return setns(fd, CLONE_NEWNET); }

long discotop_getdents64(int fd, void *buffer, unsigned long size) { return getdents64(fd, buffer, size); }

const char *discotop_errno_name(int code) { return strerrorname_np(code); }

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

struct private_mount {
    const char *fstype;
    const char *target;
    int fd;
    int error;
};

static void *mount_privately(void *argument)
{
    struct private_mount *m = argument;
    /* CLONE_NEWNS implies CLONE_FS, which gives only this thread its own mount namespace. */
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
        || mount(m->fstype, m->target, m->fstype, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        m->error = errno;
        return NULL;
    }
    m->fd = open(m->target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m->fd < 0)
        m->error = errno;
    return NULL;
}

int discotop_private_mount_fd(const char *fstype, const char *target)
{
    struct private_mount m = {.fstype = fstype, .target = target, .fd = -1, .error = 0};
    pthread_t thread;
    int status = pthread_create(&thread, NULL, mount_privately, &m);
    if (status != 0)
        return -status;
    pthread_join(thread, NULL);
    return m.fd >= 0 ? m.fd : -m.error;
}

int discotop_is_tracefs(const char *path)
{
    struct statfs info;
    return statfs(path, &info) == 0 && info.f_type == 0x74726163; /* TRACEFS_MAGIC */
}

#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

int discotop_foreign_socket(int pid, int fd, struct discotop_socket_info *out)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0)
        return -errno;
    int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
    int saved = errno;
    close(pidfd);
    if (copy < 0)
        return -saved;
    memset(out, 0, sizeof *out);
    struct stat status;
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    int type = 0, protocol = 0, listening = 0;
    socklen_t size = sizeof(int);
    int result = 0;
    if (fstat(copy, &status) != 0 || getsockname(copy, (struct sockaddr *)&address, &length) != 0
        || getsockopt(copy, SOL_SOCKET, SO_TYPE, &type, &size) != 0) {
        result = -errno;
        goto done;
    }
    size = sizeof(int);
    getsockopt(copy, SOL_SOCKET, SO_PROTOCOL, &protocol, &size);
    size = sizeof(int);
    getsockopt(copy, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size);
    struct sockaddr_storage peer;
    socklen_t peer_length = sizeof peer;
    out->connected = getpeername(copy, (struct sockaddr *)&peer, &peer_length) == 0;
    out->inode = status.st_ino;
    out->type = type;
    out->protocol = protocol;
    out->listening = listening;
    out->family = address.ss_family;
    if (address.ss_family == AF_INET) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)&address;
        out->port = ntohs(v4->sin_port);
        memcpy(out->address, &v4->sin_addr, 4);
    } else if (address.ss_family == AF_INET6) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&address;
        out->port = ntohs(v6->sin6_port);
        memcpy(out->address, &v6->sin6_addr, 16);
    }
    int netns = ioctl(copy, SIOCGSKNS);
    if (netns >= 0) {
        if (fstat(netns, &status) == 0)
            out->netns = status.st_ino;
        close(netns);
    }
done:
    close(copy);
    return result;
}

int discotop_pidfd_open(int pid)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    return pidfd >= 0 ? pidfd : -errno;
}

int discotop_pidfd_send_signal(int pidfd, int signal)
{
    return syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0) == 0 ? 0 : -errno;
}
