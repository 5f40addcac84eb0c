/* discotop's watcher: reports every bind, listen, listener close, fork, exec and exit.
 *
 * Hooks come in tiers and user space loads one per concern, turning the rest off before load
 * (bpf_program__set_autoload): bind through fexit, else kprobe/kretprobe, else the syscall
 * tracepoints; fork through tp_btf. listen is read at sys_exit_listen because
 * inet_sock_set_state fires before get_port() and so shows port 0 for an auto-bound listen. */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "discotop_event.h"
#include "socket_fields.h"

char LICENSE[] SEC("license") = "GPL";

/* 1 MiB: ~13,000 events, enough for a burst of thousands of forks between two polls. */
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Events that did not fit in the ring buffer; user space answers a change with a full scan.
 * Per CPU, so no atomic instruction is needed: clang emits atomic_fetch_add for
 * __sync_fetch_and_add, which kernels before 5.12 reject ("BPF_STX uses reserved fields"). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} lost SEC(".maps");

/* A bind or listen call between its entry and its exit, per thread. */
struct pending_call {
    __u64 uaddr;
    __s32 fd;
    __u32 kind;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64);
    __type(value, struct pending_call);
} pending SEC(".maps");

static __always_inline struct discotop_event *reserve(__u32 kind)
{
    struct discotop_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e) {
        __u32 zero = 0;
        __u64 *count = bpf_map_lookup_elem(&lost, &zero);
        if (count)
            *count += 1;
        return 0;
    }
    __builtin_memset(e, 0, sizeof(*e));
    __u64 id = bpf_get_current_pid_tgid();
    e->time_ns = bpf_ktime_get_ns();
    e->kind = kind;
    e->pid = id >> 32;
    e->tid = (__u32)id;
    /* The process's name, not the calling thread's (a Java or Swift worker thread has its own),
     * so events and scans name a process the same way. */
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct task_struct *leader = BPF_CORE_READ(task, group_leader);
    bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), &leader->comm);
    return e;
}

/* The socket behind `fd` in the current task, or 0 if `fd` is not an open socket. */
static __always_inline struct sock *socket_of_fd(int fd, struct file **file_out)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
    unsigned int max_fds = BPF_CORE_READ(fdt, max_fds);
    if (fd < 0 || (unsigned int)fd >= max_fds)
        return 0;
    struct file **fds = BPF_CORE_READ(fdt, fd);
    struct file *file = 0;
    bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
    if (!file)
        return 0;
    umode_t mode = BPF_CORE_READ(file, f_inode, i_mode);
    if ((mode & S_IFMT) != S_IFSOCK)
        return 0;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    *file_out = file;
    return BPF_CORE_READ(sock, sk);
}

static __always_inline void copy_identity(struct discotop_event *e, struct socket_identity *id)
{
    e->family = id->family;
    e->protocol = id->protocol;
    e->port = id->port;
    e->netns = id->netns;
    e->inode = id->inode;
    __builtin_memcpy(e->addr, id->addr, 16);
}

static __always_inline void begin_call(__u32 kind, int fd, __u64 uaddr)
{
    __u64 id = bpf_get_current_pid_tgid();
    struct pending_call call = {.uaddr = uaddr, .fd = fd, .kind = kind};
    bpf_map_update_elem(&pending, &id, &call, BPF_ANY);
}

/* Reports a finished bind(): the requested address from user memory, and for a successful
 * bind the socket's real port (port 0 asks the kernel to choose). */
static __always_inline void finish_bind(struct pending_call *call, int ret)
{
    __u16 family = 0;
    bpf_probe_read_user(&family, sizeof(family), (void *)call->uaddr);
    if (family != AF_INET && family != AF_INET6)
        return;
    struct discotop_event *e = reserve(DISCOTOP_EVENT_BIND);
    if (!e)
        return;
    e->result = ret;
    e->family = family;
    __be16 port = 0;
    bpf_probe_read_user(&port, sizeof(port), (void *)(call->uaddr + 2));
    e->port = __builtin_bswap16(port);
    if (family == AF_INET)
        bpf_probe_read_user(e->addr, 4, (void *)(call->uaddr + 4));
    else
        bpf_probe_read_user(e->addr, 16, (void *)(call->uaddr + 8));
    struct file *file = 0;
    struct sock *sk = socket_of_fd(call->fd, &file);
    struct socket_identity id = {};
    if (sk && read_socket_identity(sk, file, &id) == 0) {
        e->protocol = id.protocol;
        e->netns = id.netns;
        e->inode = id.inode;
        if (ret == 0)
            e->port = id.port;
    }
    bpf_ringbuf_submit(e, 0);
}

static __always_inline void finish_call(int ret)
{
    __u64 key = bpf_get_current_pid_tgid();
    struct pending_call *found = bpf_map_lookup_elem(&pending, &key);
    if (!found)
        return;
    struct pending_call call = *found;
    bpf_map_delete_elem(&pending, &key);
    if (call.kind == DISCOTOP_EVENT_BIND) {
        finish_bind(&call, ret);
        return;
    }
    if (ret != 0)
        return;
    struct file *file = 0;
    struct sock *sk = socket_of_fd(call.fd, &file);
    struct socket_identity id = {};
    if (!sk || read_socket_identity(sk, file, &id) != 0)
        return;
    struct discotop_event *e = reserve(DISCOTOP_EVENT_LISTEN);
    if (!e)
        return;
    copy_identity(e, &id);
    bpf_ringbuf_submit(e, 0);
}

/* --- bind, tier 1: fexit sees arguments and result at once. */
SEC("fexit/__sys_bind")
int BPF_PROG(bind_fexit, int fd, void *uaddr, int addrlen, int ret)
{
    struct pending_call call = {.uaddr = (__u64)uaddr, .fd = fd, .kind = DISCOTOP_EVENT_BIND};
    finish_bind(&call, ret);
    return 0;
}

/* --- bind, tier 2: kprobe + kretprobe (Beyla's hook family). */
SEC("kprobe/__sys_bind")
int BPF_KPROBE(bind_kprobe, int fd, void *uaddr)
{
    begin_call(DISCOTOP_EVENT_BIND, fd, (__u64)uaddr);
    return 0;
}

SEC("kretprobe/__sys_bind")
int BPF_KRETPROBE(bind_kretprobe, int ret)
{
    finish_call(ret);
    return 0;
}

/* --- bind, tier 3: syscall tracepoints, present wherever ftrace syscalls are. */
SEC("tracepoint/syscalls/sys_enter_bind")
int bind_enter(struct syscall_enter_ctx *ctx)
{
    begin_call(DISCOTOP_EVENT_BIND, (int)ctx->args[0], ctx->args[1]);
    return 0;
}

SEC("tracepoint/syscalls/sys_exit_bind")
int bind_exit(struct syscall_exit_ctx *ctx)
{
    finish_call((int)ctx->ret);
    return 0;
}

/* --- listen(): the port is read once the call has succeeded. */
SEC("tracepoint/syscalls/sys_enter_listen")
int listen_enter(struct syscall_enter_ctx *ctx)
{
    begin_call(DISCOTOP_EVENT_LISTEN, (int)ctx->args[0], 0);
    return 0;
}

SEC("tracepoint/syscalls/sys_exit_listen")
int listen_exit(struct syscall_exit_ctx *ctx)
{
    finish_call((int)ctx->ret);
    return 0;
}

/* --- TCP state changes: a listener closing, and listens that bypass listen(2) (io_uring). */
SEC("tracepoint/sock/inet_sock_set_state")
int state_change(struct inet_sock_set_state_ctx *ctx)
{
    if (ctx->protocol != IPPROTO_TCP)
        return 0;
    __u32 kind;
    if (ctx->oldstate == DISCOTOP_TCP_LISTEN && ctx->newstate == DISCOTOP_TCP_CLOSE) {
        /* sport 0: a listen whose get_port() failed; listen(2) reports that as its error. */
        if (ctx->sport == 0)
            return 0;
        kind = DISCOTOP_EVENT_CLOSE;
    } else if (ctx->newstate == DISCOTOP_TCP_LISTEN) {
        __u64 key = bpf_get_current_pid_tgid();
        if (bpf_map_lookup_elem(&pending, &key))
            return 0; /* listen(2) in progress: sys_exit_listen reports it with the real port */
        kind = DISCOTOP_EVENT_LISTEN;
    } else {
        return 0;
    }
    struct discotop_event *e = reserve(kind);
    if (!e)
        return 0;
    struct sock *sk = (struct sock *)ctx->skaddr;
    e->family = ctx->family;
    e->protocol = IPPROTO_TCP;
    e->port = ctx->sport;
    if (ctx->family == AF_INET)
        __builtin_memcpy(e->addr, ctx->saddr, 4);
    else
        __builtin_memcpy(e->addr, ctx->saddr_v6, 16);
    e->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
    e->inode = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
    bpf_ringbuf_submit(e, 0);
    return 0;
}

/* --- processes. A forked child inherits its parent's listeners, so it matters at once. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
    if (child->pid != child->tgid)
        return 0; /* a new thread, not a process */
    struct discotop_event *e = reserve(DISCOTOP_EVENT_FORK);
    if (!e)
        return 0;
    e->pid = child->tgid;
    e->tid = child->pid;
    e->ppid = parent->tgid;
    bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), child->comm);
    bpf_ringbuf_submit(e, 0);
    return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
    struct discotop_event *e = reserve(DISCOTOP_EVENT_EXEC);
    if (!e)
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    e->ppid = BPF_CORE_READ(task, real_parent, tgid);
    bpf_ringbuf_submit(e, 0);
    return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx)
{
    __u64 id = bpf_get_current_pid_tgid();
    if ((__u32)id != (__u32)(id >> 32))
        return 0; /* a thread ending; the process lives on */
    struct discotop_event *e = reserve(DISCOTOP_EVENT_EXIT);
    if (e)
        bpf_ringbuf_submit(e, 0);
    return 0;
}
