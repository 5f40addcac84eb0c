#define _GNU_SOURCE
#include <locale.h>
#include <pthread.h>
#include <wchar.h>
#include "CLinux.h"

/* A UTF-8 LC_CTYPE of our own, made once: wcwidth answers by the calling thread's locale, and
   the process's may be "C" (list and watch never call setlocale) or not UTF-8 at all. */
static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void make_utf8_locale(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (utf8_locale == (locale_t)0)
        utf8_locale = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
}

int discotop_wcwidth(unsigned int scalar)
{
    pthread_once(&utf8_once, make_utf8_locale);
    if (utf8_locale == (locale_t)0)
        return scalar >= 0x20 && scalar < 0x7F ? 1 : -1;
    locale_t previous = uselocale(utf8_locale);
    int width = wcwidth((wchar_t)scalar);
    uselocale(previous);
    return width;
}
