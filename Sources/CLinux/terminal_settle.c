#include <errno.h>
#include <poll.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "terminal.h"

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int write_all(int fd, const char *bytes, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        bytes += n;
        length -= (size_t)n;
    }
    return 0;
}

int discotop_terminal_settle(int in, int out, const char *query, size_t query_length, char terminator, int timeout_ms)
{
    int saved_errno = errno;
    struct termios modes, quiet;
    if (tcgetattr(in, &modes) != 0)
        return -1;
    quiet = modes;
    quiet.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    quiet.c_cc[VMIN] = 0;
    quiet.c_cc[VTIME] = 0;
    int answered = -1;
    if (tcsetattr(in, TCSANOW, &quiet) == 0 && write_all(out, query, query_length) == 0) {
        long long deadline = now_ms() + timeout_ms;
        /* The answer is ESC '[' ... terminator. Keys typed meanwhile were meant for the monitor,
         * which is gone: they are read and dropped with it. */
        int in_answer = 0;
        char previous = 0;
        while (answered != 0) {
            long long left = deadline - now_ms();
            if (left <= 0)
                break;
            struct pollfd p = {.fd = in, .events = POLLIN};
            int ready = poll(&p, 1, (int)left);
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready <= 0 || !(p.revents & POLLIN))
                break;
            char buffer[64];
            ssize_t n = read(in, buffer, sizeof buffer);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0)
                break;
            for (ssize_t i = 0; i < n && answered != 0; i++) {
                if (previous == '\033' && buffer[i] == '[')
                    in_answer = 1;
                else if (in_answer && buffer[i] == terminator)
                    answered = 0;
                previous = buffer[i];
            }
        }
    }
    tcsetattr(in, TCSANOW, &modes);
    errno = saved_errno;
    return answered;
}
