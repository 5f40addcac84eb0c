#ifndef DISCOTOP_CELF_SHIM_H
#define DISCOTOP_CELF_SHIM_H
// elfutils' libelf (libelf-dev, which libbpf links already): gelf_* reads 32- and 64-bit ELF
// in either byte order into one set of structs.
#include <gelf.h>
#include <stddef.h>

// glibc declares memmem only under _GNU_SOURCE, and Swift's Glibc module is built without it;
// this is glibc's own prototype.
extern void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

#endif
