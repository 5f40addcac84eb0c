#include <malloc.h>

#include "CBPF.h"

void discotop_fixed_mmap_threshold(void)
{
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}
