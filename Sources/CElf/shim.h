#ifndef DISCOTOP_CELF_SHIM_H
#define DISCOTOP_CELF_SHIM_H
// elfutils' libelf (libelf-dev, which libbpf links already): gelf_* reads 32- and 64-bit ELF
// in either byte order into one set of structs.
#include <gelf.h>
#include <stddef.h>

#endif
