#ifndef DISCOTOP_CLINUX_H
#define DISCOTOP_CLINUX_H

#include <linux/netlink.h>  // struct sockaddr_nl

/// Moves the calling thread into the network namespace behind `fd`
/// (an open /proc/PID/ns/net). Returns 0, or -1 with errno set.
int discotop_enter_netns(int fd);

#endif
