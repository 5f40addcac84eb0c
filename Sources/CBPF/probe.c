#include <errno.h>
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

static struct btf *vmlinux;
static int vmlinux_error;

static int vmlinux_type_id(const char *name, int kind)
{
    if (!vmlinux && !vmlinux_error) {
        vmlinux = btf__load_vmlinux_btf();
        if (!vmlinux)
            vmlinux_error = errno ? errno : ENOENT;
    }
    if (!vmlinux)
        return -vmlinux_error;
    int id = btf__find_by_name_kind(vmlinux, name, kind);
    return id < 0 ? -ENOENT : id;
}

void discotop_release_vmlinux_btf(void)
{
    btf__free(vmlinux);
    vmlinux = NULL;
    vmlinux_error = 0;
}

int discotop_vmlinux_function_id(const char *name) { return vmlinux_type_id(name, BTF_KIND_FUNC); }

int discotop_vmlinux_typedef_id(const char *name) { return vmlinux_type_id(name, BTF_KIND_TYPEDEF); }
