#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <string.h>
#include "CLinux.h"

int discotop_enter_netns(int fd) { return setns(fd, CLONE_NEWNET); }

long discotop_getdents64(int fd, void *buffer, unsigned long size) { return getdents64(fd, buffer, size); }

const char *discotop_errno_name(int code) { return strerrorname_np(code); }
