/* Soak churn generator: short-lived listeners, each its own process.
 *
 * Usage: churn SECONDS RATE BASE_PORT PORTS LOG [UDP_PCT INHERIT_PCT MIN_MS MAX_MS SEED]
 *
 * For SECONDS, RATE times a second, forks a listener: it binds 127.0.0.1 on the next port of
 * BASE_PORT..BASE_PORT+PORTS-1 (cycling, so a port comes back only after PORTS/RATE seconds,
 * long after its last holder is gone), listens if TCP (UDP_PCT % are bound UDP sockets), lives
 * MIN_MS..MAX_MS and exits. INHERIT_PCT % of them fork, at a random point of their life, an
 * inheritor: a child that keeps the parent's socket and lives MIN_MS..MAX_MS of its own, so
 * sometimes the parent exits first (a hand-over) and sometimes the child does.
 *
 * LOG gets one line per event, written by the process itself with one write(2) on an O_APPEND
 * file (atomic between processes):
 *   L pid start_time port proto role ppid t_ns    role: listener | inheritor; t_ns: CLOCK_REALTIME
 *                                                 right after listen()/bind() (fork() for an inheritor)
 *   E pid start_time t_ns                         just before _exit: the socket is still open then
 * Times are wall-clock nanoseconds, as the `time` of discotop's watch lines is: watch writes to a
 * file, never blocked by a slow reader, and its own timestamps say when it wrote each line.
 *   F pid port proto errno                        bind/listen failed (the port was taken)
 * start_time is field 22 of /proc/self/stat, as discotop reports it: with pid_max 32768 pids come
 * back within minutes, so (pid, start_time) is what names a process.
 * When it is done it prints one line to stdout: "done forked=N failed=F first_ns=T0 last_ns=T1".
 * SIGTERM or SIGINT stop the forking early; it still waits for every child. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int log_fd;
static unsigned udp_pct = 20, inherit_pct = 15, min_ms = 100, max_ms = 1500;
static uint64_t seed = 1;
static volatile sig_atomic_t stopping;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t wall_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void sleep_until(int64_t t) {
    struct timespec ts = {.tv_sec = t / 1000000000, .tv_nsec = t % 1000000000};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {}
}

/* xorshift64*: each child draws from its own stream, so a run is reproducible from its seed. */
static uint64_t next_random(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int64_t lifetime_ns(uint64_t *rng) {
    return ((int64_t)min_ms + (int64_t)(next_random(rng) % (max_ms - min_ms + 1))) * 1000000;
}

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...) {
    char line[256];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    if (write(log_fd, line, (size_t)n) != n) _exit(3);
}

/* Field 22 of /proc/self/stat, after the comm (which may hold spaces and parentheses). */
static unsigned long long start_time(void) {
    char buf[1024];
    int fd = open("/proc/self/stat", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return 0;
    p += 2; /* now at field 3 */
    for (int field = 3; field < 22 && p; field++) p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
    return p ? strtoull(p, NULL, 10) : 0;
}

static void inheritor(const char *proto, int port, uint64_t rng) {
    int64_t t0 = now_ns(), w0 = wall_ns();
    unsigned long long st = start_time();
    log_line("L %d %llu %d %s inheritor %d %lld\n", getpid(), st, port, proto, getppid(), (long long)w0);
    sleep_until(t0 + lifetime_ns(&rng));
    log_line("E %d %llu %lld\n", getpid(), st, (long long)wall_ns());
    _exit(0);
}

static void listener(long index, int port) {
    uint64_t rng = seed ^ ((uint64_t)(index + 1) * 0x9E3779B97F4A7C15ULL);
    next_random(&rng);
    int udp = next_random(&rng) % 100 < udp_pct;
    int inherit = next_random(&rng) % 100 < inherit_pct;
    const char *proto = udp ? "udp" : "tcp";
    int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || (!udp && listen(fd, 16) < 0)) {
        log_line("F %d %d %s %d\n", getpid(), port, proto, errno);
        _exit(1);
    }
    int64_t t0 = now_ns(), w0 = wall_ns();
    unsigned long long st = start_time();
    log_line("L %d %llu %d %s listener %d %lld\n", getpid(), st, port, proto, getppid(), (long long)w0);
    int64_t life = lifetime_ns(&rng);
    if (inherit) {
        sleep_until(t0 + (int64_t)(next_random(&rng) % (uint64_t)life));
        pid_t child = fork();
        if (child == 0) inheritor(proto, port, rng ^ 0x5DEECE66DULL);
        if (child < 0) _exit(2);
    }
    sleep_until(t0 + life);
    log_line("E %d %llu %lld\n", getpid(), st, (long long)wall_ns());
    _exit(0);
}

static void stop(int sig) { (void)sig; stopping = 1; }

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: churn SECONDS RATE BASE_PORT PORTS LOG [UDP_PCT INHERIT_PCT MIN_MS MAX_MS SEED]\n");
        return 2;
    }
    double seconds = atof(argv[1]), rate = atof(argv[2]);
    int base = atoi(argv[3]), ports = atoi(argv[4]);
    if (argc > 6) udp_pct = (unsigned)atoi(argv[6]);
    if (argc > 7) inherit_pct = (unsigned)atoi(argv[7]);
    if (argc > 8) min_ms = (unsigned)atoi(argv[8]);
    if (argc > 9) max_ms = (unsigned)atoi(argv[9]);
    if (argc > 10) seed = strtoull(argv[10], NULL, 10);
    if (seconds <= 0 || rate <= 0 || ports <= 0 || base <= 0 || base + ports > 65536 || max_ms < min_ms) {
        fprintf(stderr, "churn: bad arguments\n");
        return 2;
    }
    log_fd = open(argv[5], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) { perror(argv[5]); return 1; }
    /* Orphaned inheritors (their parent exited first) come back to us, not to a pid 1 that may
     * never reap them: zombies would use up the 32768 pids. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    struct sigaction sa = {.sa_handler = stop};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    int64_t period = (int64_t)(1e9 / rate), first = now_ns(), end = first + (int64_t)(seconds * 1e9);
    int64_t next = first, last = first;
    long forked = 0, failed = 0;
    int status;
    while (!stopping) {
        int64_t now = now_ns();
        if (now >= end) break;
        /* Behind schedule (the machine was busy): catch up, but in bursts of at most 100 ms
         * worth, not all at once; the rate achieved is reported, not assumed. */
        if (now - next > 100000000) next = now - 100000000;
        if (next > now) sleep_until(next);
        next += period;
        pid_t pid = fork();
        if (pid == 0) {
            close(STDOUT_FILENO);
            listener(forked, base + (int)(forked % ports));
        }
        if (pid < 0) { perror("fork"); failed++; continue; }
        forked++;
        last = now_ns();
        pid_t done;
        while ((done = waitpid(-1, &status, WNOHANG)) > 0)
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed++;
    }
    /* Every listener and inheritor (reparented to us) is reaped before we say done. */
    for (;;) {
        pid_t done = waitpid(-1, &status, 0);
        if (done < 0 && errno == EINTR) continue;
        if (done < 0) break;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed++;
    }
    printf("done forked=%ld failed=%ld first_ns=%lld last_ns=%lld\n", forked, failed, (long long)first, (long long)last);
    return 0;
}
