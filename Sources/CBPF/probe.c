#include <errno.h>
#include <pthread.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "CBPF.h"

int discotop_probe_program(enum bpf_prog_type type, enum bpf_attach_type attach, unsigned int attach_btf_id)
{
    /* r0 = 0; exit: the smallest program the verifier accepts for any type. */
    struct bpf_insn instructions[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
        {.code = BPF_JMP | BPF_EXIT},
    };
    LIBBPF_OPTS(bpf_prog_load_opts, options, .expected_attach_type = attach, .attach_btf_id = attach_btf_id);
    int fd = bpf_prog_load(type, NULL, "GPL", instructions, 2, &options);
    return fd < 0 ? -errno : fd;
}

/* Shared by every probe, and probes can run on two threads at once (each engine loads its
 * watcher on its own queue). Unguarded, both threads parsed the BTF and stored it (a data race
 * that leaked one copy), and one probe's release freed the BTF while another was searching it.
 * The lock covers the parse, every search and the release: a probe whose BTF another probe
 * released meanwhile parses it again. */
static pthread_mutex_t vmlinux_lock = PTHREAD_MUTEX_INITIALIZER;
static struct btf *vmlinux;
static int vmlinux_error;

static int vmlinux_type_id(const char *name, int kind)
{
    int id;
    pthread_mutex_lock(&vmlinux_lock);
    if (!vmlinux && !vmlinux_error) {
        vmlinux = btf__load_vmlinux_btf();
        if (!vmlinux)
            vmlinux_error = errno ? errno : ENOENT;
    }
    if (!vmlinux) {
        id = -vmlinux_error;
    } else {
        id = btf__find_by_name_kind(vmlinux, name, kind);
        if (id < 0)
            id = -ENOENT;
    }
    pthread_mutex_unlock(&vmlinux_lock);
    return id;
}

void discotop_release_vmlinux_btf(void)
{
    pthread_mutex_lock(&vmlinux_lock);
    btf__free(vmlinux);
    vmlinux = NULL;
    vmlinux_error = 0;
    pthread_mutex_unlock(&vmlinux_lock);
}

int discotop_vmlinux_function_id(const char *name) { return vmlinux_type_id(name, BTF_KIND_FUNC); }

int discotop_vmlinux_typedef_id(const char *name) { return vmlinux_type_id(name, BTF_KIND_TYPEDEF); }
