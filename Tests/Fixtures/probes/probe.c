/* A C program for language detection and port-less matching tests: listens on the port in
 * argv[1] (none when 0), prints {"pid": N} once ready, then waits to be killed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    if (port != 0) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 16) != 0) {
            perror("listen");
            return 1;
        }
    }
    printf("{\"pid\": %d}\n", getpid());
    fflush(stdout);
    sleep(3600);
    return 0;
}
