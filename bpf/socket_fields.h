/* Reading a socket's identity (family, protocol, bound address and port, namespace, inode)
 * through CO-RE, shared by the watcher and the iterator. */
#ifndef DISCOTOP_SOCKET_FIELDS_H
#define DISCOTOP_SOCKET_FIELDS_H

struct socket_identity {
    __u64 inode;
    __u32 netns;
    __u16 family;
    __u16 protocol;
    __u16 port;
    __u8 state;
    __u16 dport;
    __u8 addr[16];
};

/* Fills `id` from `sk` (and `file` for the inode). Returns 0 for an IPv4/IPv6 socket. */
static __always_inline int read_socket_identity(struct sock *sk, struct file *file, struct socket_identity *id)
{
    id->family = BPF_CORE_READ(sk, __sk_common.skc_family);
    if (id->family != AF_INET && id->family != AF_INET6)
        return -1;
    /* A bitfield before 5.6, a u16 since: the probed bitfield read handles both. */
    id->protocol = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
    id->port = BPF_CORE_READ(sk, __sk_common.skc_num);
    id->dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
    id->state = BPF_CORE_READ(sk, __sk_common.skc_state);
    id->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
    id->inode = file ? BPF_CORE_READ(file, f_inode, i_ino) : 0;
    if (id->family == AF_INET) {
        __be32 v4 = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
        __builtin_memcpy(id->addr, &v4, 4);
    } else {
        bpf_core_read(id->addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
    }
    return 0;
}

#endif
