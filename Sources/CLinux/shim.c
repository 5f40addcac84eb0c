#define _GNU_SOURCE
#include <sched.h>
#include "CLinux.h"

int discotop_enter_netns(int fd) { return setns(fd, CLONE_NEWNET); }
