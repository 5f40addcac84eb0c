/* Benchmark workload: P processes, each with 4 listening sockets (3 TCP, 1 UDP), 4 established
 * loopback TCP sockets (2 connections, both ends) and 8 other fds (4 pipes).
 * Usage: workload P   — prints "ready" once every child is set up; ends its children when
 * stdin closes or on SIGTERM. Ports are chosen by the kernel (bind to port 0) on 127.0.0.N, a
 * new loopback address every 4,000 processes: 4 sockets each would exhaust the ephemeral range
 * (28,232 ports) of one address near P=7,000. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static in_addr_t address;

static int bound(int type, struct sockaddr_in *addr) {
    int fd = socket(AF_INET, type, 0);
    socklen_t len = sizeof *addr;
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = address};
    if (fd < 0 || bind(fd, (struct sockaddr *)&any, sizeof any) < 0) { perror("bind"); _exit(1); }
    if (type == SOCK_STREAM && listen(fd, 8) < 0) { perror("listen"); _exit(1); }
    getsockname(fd, (struct sockaddr *)addr, &len);
    return fd;
}

static void child(int ready) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    struct sockaddr_in first, scratch;
    int listener = bound(SOCK_STREAM, &first);
    bound(SOCK_STREAM, &scratch);
    bound(SOCK_STREAM, &scratch);
    bound(SOCK_DGRAM, &scratch);
    for (int i = 0; i < 2; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&first, sizeof first) < 0) { perror("connect"); _exit(1); }
        if (accept(listener, NULL, NULL) < 0) { perror("accept"); _exit(1); }
    }
    for (int i = 0; i < 4; i++) {
        int p[2];
        if (pipe(p) < 0) { perror("pipe"); _exit(1); }
    }
    if (write(ready, "x", 1) != 1) _exit(1);
    close(ready);
    for (;;) pause();
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 1000;
    int ready[2];
    if (pipe(ready) < 0) { perror("pipe"); return 1; }
    for (int i = 0; i < count; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); kill(0, SIGTERM); return 1; }
        if (pid == 0) {
            address = htonl(INADDR_LOOPBACK + (in_addr_t)(i / 4000));
            close(ready[0]);
            child(ready[1]);
        }
    }
    close(ready[1]);
    char byte;
    for (int i = 0; i < count; i++)
        if (read(ready[0], &byte, 1) != 1) { fprintf(stderr, "a child failed\n"); return 1; }
    printf("ready\n");
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {}
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM);
    while (wait(NULL) > 0) {}
    return 0;
}
