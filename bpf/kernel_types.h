/* The few kernel types the programs touch, declared by hand with CO-RE relocations
 * (preserve_access_index): libbpf fixes every field offset against the running kernel's BTF,
 * so one object runs on every kernel with BTF. Smaller and steadier than a generated vmlinux.h
 * (several MB, tied to the build host's kernel). Nested anonymous unions in the real types are
 * flattened here; CO-RE matches fields by name through them. */
#ifndef DISCOTOP_KERNEL_TYPES_H
#define DISCOTOP_KERNEL_TYPES_H

/* Tells bpf_tracing.h to use the kernel's pt_regs field names (di, si, ax), as with vmlinux.h. */
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef unsigned short umode_t;
typedef _Bool bool;

enum bpf_map_type {
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_PERCPU_ARRAY = 6,
    BPF_MAP_TYPE_RINGBUF = 27,
};

enum { BPF_ANY = 0 };

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define S_IFMT 00170000
#define S_IFSOCK 0140000

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct ns_common { unsigned int inum; };
struct net { struct ns_common ns; };
typedef struct { struct net *net; } possible_net_t;
struct nsproxy { struct net *net_ns; };

struct in6_addr { __u8 s6_addr[16]; };

struct sock_common {
    __be32 skc_daddr;
    __be32 skc_rcv_saddr;
    __be16 skc_dport;
    __u16 skc_num;
    unsigned short skc_family;
    volatile unsigned char skc_state;
    possible_net_t skc_net;
    struct in6_addr skc_v6_rcv_saddr;
};

struct socket;
struct sock {
    struct sock_common __sk_common;
    __u16 sk_protocol;
    struct socket *sk_socket;
};

/* The port the socket shows the world; kept when a closing listener gives its port back
 * (inet_put_port zeroes skc_num before the CLOSE state change is traced). */
struct inet_sock { __be16 inet_sport; };

struct inode { umode_t i_mode; unsigned long i_ino; };
struct file { struct inode *f_inode; void *private_data; };
struct socket { struct sock *sk; struct file *file; };

struct fdtable { unsigned int max_fds; struct file **fd; };
struct files_struct { struct fdtable *fdt; };

struct task_struct {
    int pid;
    int tgid;
    __u64 start_boottime;
    char comm[16];
    struct task_struct *real_parent;
    struct task_struct *group_leader;
    struct files_struct *files;
    struct nsproxy *nsproxy;
    struct css_set *cgroups;
};

struct pt_regs {
    unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

struct seq_file;
struct bpf_iter_meta { struct seq_file *seq; };
struct bpf_iter__task {
    struct bpf_iter_meta *meta;
    struct task_struct *task;
};
struct bpf_iter__task_file {
    struct bpf_iter_meta *meta;
    struct task_struct *task;
    __u32 fd;
    struct file *file;
};

#pragma clang attribute pop

/* Classic tracepoint contexts: the layouts of their format files, stable kernel ABI. */
struct syscall_enter_ctx { __u64 common; __s64 id; __u64 args[6]; };
struct syscall_exit_ctx { __u64 common; __s64 id; __s64 ret; };

/* The context of cgroup socket programs (post_bind4/6, sock_release): uapi, not a kernel
 * type, so no CO-RE relocation; the kernel rewrites each access. dst_port is a __u32 before
 * 5.18 and a __be16 plus zero padding since; a 4-byte read works on both. */
struct bpf_sock {
    __u32 bound_dev_if;
    __u32 family;
    __u32 type;
    __u32 protocol;
    __u32 mark;
    __u32 priority;
    __u32 src_ip4;
    __u32 src_ip6[4];
    __u32 src_port; /* host byte order */
    __u32 dst_port;
    __u32 dst_ip4;
    __u32 dst_ip6[4];
    __u32 state;
    __s32 rx_queue_mapping;
};

#endif
