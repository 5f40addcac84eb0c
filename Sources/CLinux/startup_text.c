#define _GNU_SOURCE
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>
#include "CLinux.h"

/* The first object dl_iterate_phdr reports is the executable itself. */
static int release_executable_text(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    long *released = data;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        /* Only read-only, executable segments: their pages are the file's, never written, so
         * dropping them loses nothing. Rounded inwards, so no page shared with data is touched. */
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_X) || (segment->p_flags & PF_W)) continue;
        uintptr_t start = (info->dlpi_addr + segment->p_vaddr + page - 1) & ~(page - 1);
        uintptr_t end = (info->dlpi_addr + segment->p_vaddr + segment->p_memsz) & ~(page - 1);
        if (end > start && madvise((void *)start, end - start, MADV_DONTNEED) == 0) *released += (long)(end - start);
    }
    return 1;
}

long discotop_release_startup_text(void)
{
    long released = 0;
    dl_iterate_phdr(release_executable_text, &released);
    return released;
}
