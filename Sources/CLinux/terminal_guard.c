#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "terminal.h"

/* Everything the handler needs is prepared before it can run: it may only make
 * async-signal-safe calls (write, poll, read, tcsetattr, sigaction, raise). */
static struct termios saved_modes;
static int saved_in = -1;
static int saved_out = -1;
static char exit_sequence[512];
static size_t exit_length;
static char query[32];
static size_t query_length;
static char query_terminator;
static volatile sig_atomic_t armed;

/* Signals whose default action ends the process. SIGINT, SIGTERM and SIGHUP are not here:
 * the monitor handles them itself and quits through the normal way out (status 0). SIGPIPE is
 * not here either: the monitor ignores it (see MonitorApp). */
static const int fatal_signals[] = {
    SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGUSR1, SIGUSR2, SIGALRM,
    SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSTKFLT, SIGPWR, SIGSYS,
};
#define FATAL_COUNT (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction previous[FATAL_COUNT];

static void put_back(void)
{
    if (!__atomic_exchange_n(&armed, 0, __ATOMIC_SEQ_CST))
        return;
    const char *bytes = exit_sequence;
    size_t length = exit_length;
    while (length > 0) {
        ssize_t n = write(saved_out, bytes, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        bytes += n;
        length -= (size_t)n;
    }
    if (query_length > 0)
        discotop_terminal_settle(saved_in, saved_out, query, query_length, query_terminator, 500);
    tcsetattr(saved_in, TCSANOW, &saved_modes);
}

static int is_fault(int number)
{
    return number == SIGSEGV || number == SIGBUS || number == SIGFPE || number == SIGILL;
}

static void on_fatal_signal(int number, siginfo_t *info, void *context)
{
    (void)context;
    int saved_errno = errno;
    put_back();
    /* A fault the kernel raised (a crash, a Swift trap's ud2) comes back by itself when the
     * faulting instruction runs again: it goes to whatever handled it before, the Swift
     * runtime's crash report, which then lets it end the process. Anything else (kill, abort)
     * ends the process by the default action, raised anew and delivered as soon as this
     * handler returns: the crash report must not see those, as it returns from a SIGQUIT sent
     * with kill and lets the process run on. Either way the exit status names the signal. */
    int refaults = info != NULL && info->si_code > 0 && is_fault(number);
    for (size_t i = 0; i < FATAL_COUNT; i++) {
        if (fatal_signals[i] == number && refaults)
            sigaction(number, &previous[i], NULL);
    }
    if (!refaults) {
        struct sigaction fallback;
        memset(&fallback, 0, sizeof fallback);
        fallback.sa_handler = SIG_DFL;
        sigemptyset(&fallback.sa_mask);
        sigaction(number, &fallback, NULL);
        raise(number);
    }
    errno = saved_errno;
}

static void at_exit(void) { put_back(); }

int discotop_terminal_guard_save(int in, int out)
{
    if (tcgetattr(in, &saved_modes) != 0)
        return -1;
    saved_in = in;
    saved_out = out;
    return 0;
}

int discotop_terminal_guard_arm(const char *sequence, const char *answer_query, char terminator)
{
    size_t sequence_length = strlen(sequence);
    size_t length = answer_query == NULL ? 0 : strlen(answer_query);
    if (saved_in < 0 || sequence_length > sizeof exit_sequence || length > sizeof query)
        return -1;
    memcpy(exit_sequence, sequence, sequence_length);
    exit_length = sequence_length;
    if (length > 0)
        memcpy(query, answer_query, length);
    query_length = length;
    query_terminator = terminator;
    static int installed;
    if (!installed) {
        installed = 1;
        /* exit() from any thread, after a fatal error elsewhere, must not leave it broken either. */
        atexit(at_exit);
        for (size_t i = 0; i < FATAL_COUNT; i++) {
            struct sigaction action;
            memset(&action, 0, sizeof action);
            action.sa_sigaction = on_fatal_signal;
            action.sa_flags = SA_SIGINFO;
            sigfillset(&action.sa_mask);
            sigaction(fatal_signals[i], NULL, &previous[i]);
            /* A signal ignored by whoever started us stays ignored. */
            if (previous[i].sa_handler != SIG_IGN)
                sigaction(fatal_signals[i], &action, NULL);
        }
    }
    armed = 1;
    return 0;
}

void discotop_terminal_guard_disarm(void) { armed = 0; }
