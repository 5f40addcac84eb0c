/* The records the BPF programs send to user space. Shared by the BPF C code and the Swift side
 * (through Sources/CBPF), so both agree on one layout. Fixed-size fields, explicit padding. */
#ifndef DISCOTOP_EVENT_H
#define DISCOTOP_EVENT_H

#ifndef __bpf__
#include <linux/types.h>
#endif

enum discotop_event_kind {
    DISCOTOP_EVENT_BIND = 1,
    DISCOTOP_EVENT_LISTEN = 2,
    DISCOTOP_EVENT_CLOSE = 3, /* a listening TCP socket closed */
    DISCOTOP_EVENT_FORK = 4,
    DISCOTOP_EVENT_EXEC = 5,
    DISCOTOP_EVENT_EXIT = 6,
};

/* One ring buffer record. */
struct discotop_event {
    __u64 time_ns;  /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
    __u64 inode;    /* socket inode, 0 when unknown */
    __u32 kind;     /* enum discotop_event_kind */
    __u32 pid;      /* thread group id */
    __u32 tid;
    __u32 ppid;     /* fork: the parent's thread group id */
    __s32 result;   /* bind: 0 or -errno */
    __u32 netns;    /* network namespace inode, 0 when unknown */
    __u16 family;   /* AF_INET or AF_INET6 */
    __u16 protocol; /* IPPROTO_TCP, IPPROTO_UDP, ... */
    __u16 port;     /* host byte order */
    __u16 flags;    /* DISCOTOP_FLAG_* */
    __u8 addr[16];  /* IPv4 in the first 4 bytes, network order */
    char comm[16];
};

/* comm is the calling thread's, not the process's: cgroup socket programs may not read tasks. */
#define DISCOTOP_FLAG_THREAD_COMM 1

/* One listening socket found by the task_file iterator, with what identifies its owner. */
struct discotop_listener {
    __u64 inode;
    __u64 start_ns; /* task start in ns since boot: /proc/PID/stat's starttime is this in ticks */
    /* The task's css_set, as a key only: tasks with the same one have the same cgroup in every
     * hierarchy, so the same /proc/PID/cgroup text, and a scan reads that file once per key. */
    __u64 cgroup_set;
    __u32 pid;      /* thread group id */
    __u32 fd;
    __u32 netns;
    __u32 ppid;
    __u16 family;
    __u16 protocol;
    __u16 port;
    __u16 padding;
    __u8 addr[16];
    char comm[16];
};

/* One process (thread-group leader) found by the task iterator: the population that
 * configuration selectors without open_ports, and inheritance, look through. */
struct discotop_task {
    __u64 start_ns; /* as in discotop_listener */
    __u32 pid;
    __u32 ppid;
};

/* TCP states (include/net/tcp_states.h). */
#define DISCOTOP_TCP_ESTABLISHED 1
#define DISCOTOP_TCP_LISTEN 10
#define DISCOTOP_TCP_CLOSE 7

#endif
