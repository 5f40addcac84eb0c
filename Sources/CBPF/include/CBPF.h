#ifndef DISCOTOP_CBPF_H
#define DISCOTOP_CBPF_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>

#include "../../../bpf/discotop_event.h"

/// Sends libbpf's own messages to a small buffer instead of stderr, where they would garble
/// the terminal UI. The last warning stays readable to explain a failed load or attach.
void discotop_libbpf_capture_messages(void);

/// The last warning or error libbpf printed on the calling thread since capture began ("" if
/// none): each thread sees the messages of its own libbpf calls.
const char *discotop_libbpf_last_message(void);

/// Clears the captured message, so the next failure's reason is not confused with an old one.
void discotop_libbpf_clear_message(void);

/// Fixes glibc's mmap threshold at its default 128 KiB. Each BPF load parses the kernel's BTF
/// (5.5 MB here) into buffers of several MB; by default, freeing the first such buffer raises
/// the threshold, so later ones come from a thread arena that never shrinks: 11 MB stayed
/// resident for the life of the process. Fixed, large buffers are mapped and unmapped again
/// (steady RSS 30 -> 19 MB, peak 30.3 -> 28.1 MB for `watch`, measured with VmRSS/VmHWM).
void discotop_fixed_mmap_threshold(void);

/// Loads `r0 = 0; exit` as a program of `type` (with `attach` and, for tracing programs, the
/// BTF id of the target): asks the kernel whether it takes that program type for that hook
/// without loading the real programs. Returns the program's fd, or -errno.
int discotop_probe_program(enum bpf_prog_type type, enum bpf_attach_type attach, unsigned int attach_btf_id);

/// The BTF id of function `name` (or of typedef `name`) in the running kernel's BTF, or
/// -errno (-ENOENT when the kernel has no such type). The BTF is parsed once and kept until
/// `discotop_release_vmlinux_btf`. Safe to call from several threads at once.
int discotop_vmlinux_function_id(const char *name);
int discotop_vmlinux_typedef_id(const char *name);
void discotop_release_vmlinux_btf(void);

#endif
