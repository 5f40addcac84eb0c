/* discotop's watcher: reports every bind, listen, listener close, fork, exec and exit.
 *
 * Each concern has tiers of hooks, and user space loads one tier per concern, turning the rest
 * off before load (bpf_program__set_autoload) after probing what the kernel offers:
 *   bind     fexit, else kprobe/kretprobe, else the cgroup post_bind hooks (no tracefs, no
 *            kprobes; successful binds only), else the syscall tracepoints (tracefs; they slow
 *            every syscall, so they come last unless asked for);
 *   state    listen and listener close from inet_sock_set_state, through tp_btf or raw_tp
 *            (neither needs tracefs). The state changes to LISTEN before get_port(), so an
 *            auto-bound listen shows port 0 here; user space takes the port from its rescan;
 *   release  a bound UDP socket closing, through the cgroup sock_release hook;
 *   fork, exec, exit   sched tracepoints through tp_btf or raw_tp.
 * raw_tp exists wherever a tracefs tracepoint does (4.17+, and CO-RE needs BTF, 5.2+), so the
 * process and state hooks have no tracefs tier. */
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

/* A bind call between its entry and its exit, per thread (kprobe and tracepoint tiers). */
struct pending_call {
    __u64 uaddr;
    __s32 fd;
    __u32 padding;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64);
    __type(value, struct pending_call);
} pending SEC(".maps");

/* A zeroed record with the time and the caller's ids, or 0 (counted as lost) when full. */
static __always_inline struct discotop_event *reserve_record(__u32 kind)
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
    return e;
}

/* For tracing programs: names the process, not the calling thread (a Java or Swift worker
 * thread has its own name), so events and scans name a process the same way. */
static __always_inline struct discotop_event *reserve(__u32 kind)
{
    struct discotop_event *e = reserve_record(kind);
    if (!e)
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct task_struct *leader = BPF_CORE_READ(task, group_leader);
    bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), &leader->comm);
    return e;
}

/* For cgroup socket programs, which may not read tasks: the calling thread's name, flagged so
 * user space replaces it with the process's. */
static __always_inline struct discotop_event *reserve_in_cgroup_hook(__u32 kind)
{
    struct discotop_event *e = reserve_record(kind);
    if (e) {
        bpf_get_current_comm(e->comm, sizeof(e->comm));
        e->flags = DISCOTOP_FLAG_THREAD_COMM;
    }
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

/* --- bind ---------------------------------------------------------------------------- */

/* Reports a finished bind(): the requested address from user memory, and for a successful
 * bind the socket's real port (port 0 asks the kernel to choose). */
static __always_inline void finish_bind(int fd, __u64 uaddr, int ret)
{
    __u16 family = 0;
    bpf_probe_read_user(&family, sizeof(family), (void *)uaddr);
    if (family != AF_INET && family != AF_INET6)
        return;
    struct discotop_event *e = reserve(DISCOTOP_EVENT_BIND);
    if (!e)
        return;
    e->result = ret;
    e->family = family;
    __be16 port = 0;
    bpf_probe_read_user(&port, sizeof(port), (void *)(uaddr + 2));
    e->port = __builtin_bswap16(port);
    if (family == AF_INET)
        bpf_probe_read_user(e->addr, 4, (void *)(uaddr + 4));
    else
        bpf_probe_read_user(e->addr, 16, (void *)(uaddr + 8));
    struct file *file = 0;
    struct sock *sk = socket_of_fd(fd, &file);
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

static __always_inline void begin_bind(int fd, __u64 uaddr)
{
    __u64 id = bpf_get_current_pid_tgid();
    struct pending_call call = {.uaddr = uaddr, .fd = fd};
    bpf_map_update_elem(&pending, &id, &call, BPF_ANY);
}

static __always_inline void end_bind(int ret)
{
    __u64 key = bpf_get_current_pid_tgid();
    struct pending_call *found = bpf_map_lookup_elem(&pending, &key);
    if (!found)
        return;
    struct pending_call call = *found;
    bpf_map_delete_elem(&pending, &key);
    finish_bind(call.fd, call.uaddr, ret);
}

/* Tier 1: fexit sees arguments and result at once, and costs nothing on other syscalls. */
SEC("fexit/__sys_bind")
int BPF_PROG(bind_fexit, int fd, void *uaddr, int addrlen, int ret)
{
    finish_bind(fd, (__u64)uaddr, ret);
    return 0;
}

/* Tier 2: kprobe + kretprobe (Beyla's hook family). */
SEC("kprobe/__sys_bind")
int BPF_KPROBE(bind_kprobe, int fd, void *uaddr)
{
    begin_bind(fd, (__u64)uaddr);
    return 0;
}

SEC("kretprobe/__sys_bind")
int BPF_KRETPROBE(bind_kretprobe, int ret)
{
    end_bind(ret);
    return 0;
}

/* Tier 4: syscall tracepoints, where tracefs is mounted. Enabling any syscall tracepoint puts
 * every syscall of every task on the slow path, which is what bench/hook_overhead measures. */
SEC("tracepoint/syscalls/sys_enter_bind")
int bind_enter(struct syscall_enter_ctx *ctx)
{
    begin_bind((int)ctx->args[0], ctx->args[1]);
    return 0;
}

SEC("tracepoint/syscalls/sys_exit_bind")
int bind_exit(struct syscall_exit_ctx *ctx)
{
    end_bind((int)ctx->ret);
    return 0;
}

/* Tier 3: cgroup post_bind, run inside the bind once the port is taken, in the caller's
 * context. A failed bind never gets here. Returning 1 lets the bind stand. */
static __always_inline void report_post_bind(struct bpf_sock *ctx, __u16 family)
{
    struct discotop_event *e = reserve_in_cgroup_hook(DISCOTOP_EVENT_BIND);
    if (!e)
        return;
    e->family = family;
    e->protocol = ctx->protocol;
    e->port = ctx->src_port;
    if (family == AF_INET) {
        __u32 v4 = ctx->src_ip4;
        __builtin_memcpy(e->addr, &v4, 4);
    } else {
        __u32 v6[4] = {ctx->src_ip6[0], ctx->src_ip6[1], ctx->src_ip6[2], ctx->src_ip6[3]};
        __builtin_memcpy(e->addr, v6, 16);
    }
    bpf_ringbuf_submit(e, 0);
}

SEC("cgroup/post_bind4")
int bind_post4(struct bpf_sock *ctx)
{
    report_post_bind(ctx, AF_INET);
    return 1;
}

SEC("cgroup/post_bind6")
int bind_post6(struct bpf_sock *ctx)
{
    report_post_bind(ctx, AF_INET6);
    return 1;
}

/* --- socket state: listen, and a listener closing ------------------------------------- */

static __always_inline void state_change(struct sock *sk, int oldstate, int newstate)
{
    __u32 kind;
    if (newstate == DISCOTOP_TCP_LISTEN)
        kind = DISCOTOP_EVENT_LISTEN;
    else if (oldstate == DISCOTOP_TCP_LISTEN && newstate == DISCOTOP_TCP_CLOSE)
        kind = DISCOTOP_EVENT_CLOSE;
    else
        return;
    struct socket_identity id = {};
    if (read_socket_identity(sk, 0, &id) != 0 || id.protocol != IPPROTO_TCP)
        return;
    /* As the tracepoint's own sport: a closing listener with a kernel-chosen port has given
     * skc_num back by now, inet_sport still names it. */
    id.port = __builtin_bswap16(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
    /* Port 0 on close: a listen whose get_port() failed; listen(2) returns that error. */
    if (kind == DISCOTOP_EVENT_CLOSE && id.port == 0)
        return;
    struct discotop_event *e = reserve(kind);
    if (!e)
        return;
    e->family = id.family;
    e->protocol = id.protocol;
    e->port = id.port;
    e->netns = id.netns;
    e->inode = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
    __builtin_memcpy(e->addr, id.addr, 16);
    bpf_ringbuf_submit(e, 0);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(state_btf, struct sock *sk, int oldstate, int newstate)
{
    state_change(sk, oldstate, newstate);
    return 0;
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(state_raw, struct sock *sk, int oldstate, int newstate)
{
    state_change(sk, oldstate, newstate);
    return 0;
}

/* --- a bound, unconnected UDP socket released (TCP listeners are seen by the state hook).
 * sock_release may not read src_port, so the event names the process and user space rescans
 * it. */
SEC("cgroup/sock_release")
int udp_release(struct bpf_sock *ctx)
{
    if (ctx->protocol != IPPROTO_UDP || ctx->dst_port != 0)
        return 1;
    if (ctx->family != AF_INET && ctx->family != AF_INET6)
        return 1;
    struct discotop_event *e = reserve_in_cgroup_hook(DISCOTOP_EVENT_CLOSE);
    if (e) {
        e->family = ctx->family;
        e->protocol = IPPROTO_UDP;
        bpf_ringbuf_submit(e, 0);
    }
    return 1;
}

/* --- processes. A forked child inherits its parent's listeners, so it matters at once. -- */

static __always_inline void report_fork(struct task_struct *parent, struct task_struct *child)
{
    int pid = BPF_CORE_READ(child, pid);
    int tgid = BPF_CORE_READ(child, tgid);
    if (pid != tgid)
        return; /* a new thread, not a process */
    struct discotop_event *e = reserve(DISCOTOP_EVENT_FORK);
    if (!e)
        return;
    e->pid = tgid;
    e->tid = pid;
    e->ppid = BPF_CORE_READ(parent, tgid);
    bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), &child->comm);
    bpf_ringbuf_submit(e, 0);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
    report_fork(parent, child);
    return 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(fork_raw, struct task_struct *parent, struct task_struct *child)
{
    report_fork(parent, child);
    return 0;
}

static __always_inline void report_exec(void)
{
    struct discotop_event *e = reserve(DISCOTOP_EVENT_EXEC);
    if (!e)
        return;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    e->ppid = BPF_CORE_READ(task, real_parent, tgid);
    bpf_ringbuf_submit(e, 0);
}

SEC("tp_btf/sched_process_exec")
int exec_btf(void *ctx)
{
    report_exec();
    return 0;
}

SEC("raw_tp/sched_process_exec")
int exec_raw(void *ctx)
{
    report_exec();
    return 0;
}

static __always_inline void report_exit(void)
{
    __u64 id = bpf_get_current_pid_tgid();
    if ((__u32)id != (__u32)(id >> 32))
        return; /* a thread ending; the process lives on */
    struct discotop_event *e = reserve(DISCOTOP_EVENT_EXIT);
    if (e)
        bpf_ringbuf_submit(e, 0);
}

SEC("tp_btf/sched_process_exit")
int exit_btf(void *ctx)
{
    report_exit();
    return 0;
}

SEC("raw_tp/sched_process_exit")
int exit_raw(void *ctx)
{
    report_exit();
    return 0;
}
