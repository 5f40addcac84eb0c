/* discotop's full scan: one pass over every task's fd table inside the kernel, emitting each
 * TCP listener and bound, unconnected UDP socket with its owner. Replaces the /proc fd walk
 * and the netlink dumps; threads sharing their leader's fd table are skipped by the kernel.
 * A second iterator lists every process with its parent, replacing one /proc/PID/stat read
 * per process when a configuration needs the whole population. */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "discotop_event.h"
#include "socket_fields.h"

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task_file")
int dump_listeners(struct bpf_iter__task_file *ctx)
{
    struct task_struct *task = ctx->task;
    struct file *file = ctx->file;
    if (!task || !file)
        return 0;
    /* Most descriptors are not sockets, and this runs for every descriptor of every task:
     * `file` is a BTF pointer, so these are plain (fault-checked) loads, not helper calls. */
    umode_t mode = file->f_inode->i_mode;
    if ((mode & S_IFMT) != S_IFSOCK)
        return 0;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    struct sock *sk = BPF_CORE_READ(sock, sk);
    if (!sk)
        return 0;
    /* Established connections outnumber listeners: turn them away on the state alone. */
    if (BPF_CORE_READ(sk, __sk_common.skc_state) == DISCOTOP_TCP_ESTABLISHED)
        return 0;
    struct socket_identity id = {};
    if (read_socket_identity(sk, file, &id) != 0)
        return 0;
    if (id.protocol == IPPROTO_TCP) {
        if (id.state != DISCOTOP_TCP_LISTEN)
            return 0;
    } else if (id.protocol == IPPROTO_UDP) {
        if (id.state != DISCOTOP_TCP_CLOSE || id.dport != 0 || id.port == 0)
            return 0;
    } else {
        return 0;
    }
    struct discotop_listener out = {};
    out.inode = id.inode;
    out.pid = BPF_CORE_READ(task, tgid);
    out.ppid = BPF_CORE_READ(task, real_parent, tgid);
    out.start_ns = BPF_CORE_READ(task, start_boottime);
    out.cgroup_set = (__u64)BPF_CORE_READ(task, cgroups);
    bpf_probe_read_kernel_str(out.comm, sizeof(out.comm), task->comm);
    out.fd = ctx->fd;
    out.netns = id.netns;
    out.family = id.family;
    out.protocol = id.protocol;
    out.port = id.port;
    __builtin_memcpy(out.addr, id.addr, 16);
    bpf_seq_write(ctx->meta->seq, &out, sizeof(out));
    return 0;
}

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
    struct task_struct *task = ctx->task;
    if (!task)
        return 0;
    /* The iterator visits every thread; a process is its thread-group leader. */
    int tgid = BPF_CORE_READ(task, tgid);
    if (BPF_CORE_READ(task, pid) != tgid)
        return 0;
    struct discotop_task out = {};
    out.pid = tgid;
    out.ppid = BPF_CORE_READ(task, real_parent, tgid);
    out.start_ns = BPF_CORE_READ(task, start_boottime);
    bpf_seq_write(ctx->meta->seq, &out, sizeof(out));
    return 0;
}
