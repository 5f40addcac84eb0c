#ifndef DISCOTOP_CLINUX_H
#define DISCOTOP_CLINUX_H

#include <linux/netlink.h>  // struct sockaddr_nl
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

#endif
