/* make bench (hook overhead): the per-call cost of two syscall loops, for bench/hook_overhead.py.

   hook_overhead getppid|bind-udp|bind-tcp ITERATIONS REPETITIONS CPU

   getppid:  ITERATIONS x syscall(SYS_getppid). The raw syscall, because a libc may cache the
             answer and then no syscall would be timed. It does nothing in the kernel, so what a
             hook adds to *every* syscall (the syscall-tracepoint slow path) shows at full size.
   bind-*:   ITERATIONS x socket(AF_INET, SOCK_DGRAM or SOCK_STREAM) + bind(127.0.0.1:0) + close:
             the path the bind hooks sit on, on ephemeral ports so nothing collides or runs out.

   Pinned to CPU (sched_setaffinity) so the timings do not include migrations. One unmeasured
   repetition first (page faults, caches, the port hash warming up), then REPETITIONS timed
   ones. Prints one JSON line: {"loop":..., "ns_per_call":[...], "median_ns":..., "min_ns":...,
   "wall_median_ns":...}, in CPU time (see cpu_ns); the minimum is there because on a shared
   machine other work only ever adds time, the wall-clock median for comparison. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The thread's own CPU time, not the wall clock: on a machine shared with other builds the
   loop is preempted for long stretches, and wall time then measures the load, not the
   syscalls. Time spent in the kernel on the thread's behalf (the hooks included) counts. */
static double cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static double wall_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* volatile sink: the compiler must not drop or merge the syscalls whose result is unused. */
static volatile long sink;

static void getppid_loop(long n) {
    for (long i = 0; i < n; i++) sink += syscall(SYS_getppid);
}

static void bind_loop(long n, int type) {
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0; /* ephemeral: the kernel picks a free port each time */
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (long i = 0; i < n; i++) {
        int fd = socket(AF_INET, type, 0);
        if (fd < 0) { perror("socket"); exit(1); }
        if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("bind"); exit(1); }
        close(fd);
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *sorted, int n) {
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s getppid|bind-udp|bind-tcp ITERATIONS REPETITIONS CPU\n", argv[0]);
        return 2;
    }
    const char *loop = argv[1];
    long n = atol(argv[2]);
    int reps = atoi(argv[3]);
    int cpu = atoi(argv[4]);
    int type = -1;
    if (strcmp(loop, "bind-udp") == 0) type = SOCK_DGRAM;
    else if (strcmp(loop, "bind-tcp") == 0) type = SOCK_STREAM;
    else if (strcmp(loop, "getppid") != 0) { fprintf(stderr, "unknown loop %s\n", loop); return 2; }
    if (n <= 0 || reps <= 0 || reps > 1000) { fprintf(stderr, "bad ITERATIONS or REPETITIONS\n"); return 2; }

    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); return 1; }

    double *per_call = calloc((size_t)reps, sizeof *per_call);
    double *wall = calloc((size_t)reps, sizeof *wall);
    for (int r = -1; r < reps; r++) { /* r == -1: the warm-up, not recorded */
        double start = cpu_ns(), start_wall = wall_ns();
        if (type < 0) getppid_loop(n); else bind_loop(n, type);
        double elapsed = cpu_ns() - start, elapsed_wall = wall_ns() - start_wall;
        if (r >= 0) {
            per_call[r] = elapsed / (double)n;
            wall[r] = elapsed_wall / (double)n;
        }
    }

    printf("{\"loop\":\"%s\",\"iterations\":%ld,\"cpu\":%d,\"ns_per_call\":[", loop, n, cpu);
    for (int r = 0; r < reps; r++) printf("%s%.2f", r ? "," : "", per_call[r]);
    qsort(per_call, (size_t)reps, sizeof *per_call, compare);
    qsort(wall, (size_t)reps, sizeof *wall, compare);
    printf("],\"median_ns\":%.2f,\"min_ns\":%.2f,\"wall_median_ns\":%.2f}\n", median(per_call, reps), per_call[0],
           median(wall, reps));
    return 0;
}
