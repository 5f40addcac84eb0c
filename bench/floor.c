/* The C floor for `make bench`: what `discotop list --json` does, in the least code that does
 * it. It loads the same iter/task_file program (bpf/iterator.bpf.c), walks every fd table in
 * one pass, groups the listeners by process, reads each owner's executable, user and start
 * time the way discotop does (readlink, stat, getpwuid), reads the two files behind the
 * document's per-process placement and exporter fields (/proc/PID/cgroup: the path of the
 * first line, once per css_set as discotop does; /proc/PID/environ: whether an OTEL_
 * variable is set), and prints one JSON
 * document. No matching, no escaping beyond what the sample needs: a lower bound, not a
 * competitor.
 * Usage: floor ITERATOR.bpf.o */
#define _GNU_SOURCE /* memmem */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/types.h>
#include "../bpf/discotop_event.h"

static int by_pid(const void *a, const void *b) {
    const struct discotop_listener *x = a, *y = b;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Reads a whole small /proc file into the shared buffer; its length, or 0. */
static size_t slurp(const char *path, char *buffer, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t filled = 0;
    ssize_t n;
    while (filled < size - 1 && (n = read(fd, buffer + filled, size - 1 - filled)) > 0) filled += (size_t)n;
    close(fd);
    buffer[filled] = 0;
    return filled;
}

static const char *user_of(uid_t uid) {
    static uid_t cached = (uid_t)-1;
    static char name[64];
    if (uid != cached) {
        struct passwd *pw = getpwuid(uid);
        snprintf(name, sizeof name, "%s", pw ? pw->pw_name : "?");
        cached = uid;
    }
    return name;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: floor ITERATOR.bpf.o\n");
        return 2;
    }
    libbpf_set_print(NULL);
    struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
    if (!object) return perror("open"), 1;
    struct bpf_program *tasks = bpf_object__find_program_by_name(object, "dump_tasks");
    if (tasks) bpf_program__set_autoload(tasks, false);
    if (bpf_object__load(object)) return perror("load"), 1;
    struct bpf_program *program = bpf_object__find_program_by_name(object, "dump_listeners");
    struct bpf_link *link = bpf_program__attach_iter(program, NULL);
    if (!link) return perror("attach"), 1;
    int fd = bpf_iter_create(bpf_link__fd(link));
    if (fd < 0) return perror("iter"), 1;

    size_t capacity = 4096, count = 0;
    struct discotop_listener *all = malloc(capacity * sizeof *all);
    char buffer[64 * 1024];
    size_t filled = 0;
    for (;;) {
        ssize_t n = read(fd, buffer + filled, sizeof buffer - filled);
        if (n <= 0) break;
        filled += (size_t)n;
        size_t whole = filled - filled % sizeof *all;
        for (size_t offset = 0; offset < whole; offset += sizeof *all) {
            if (count == capacity) all = realloc(all, (capacity *= 2) * sizeof *all);
            memcpy(&all[count++], buffer + offset, sizeof *all);
        }
        memmove(buffer, buffer + whole, filled - whole);
        filled -= whole;
    }
    close(fd);
    qsort(all, count, sizeof *all, by_pid);

    long ticks = sysconf(_SC_CLK_TCK);
    printf("{\"processes\":[");
    for (size_t i = 0; i < count;) {
        uint32_t pid = all[i].pid;
        char path[64], exe[4096];
        snprintf(path, sizeof path, "/proc/%u/exe", pid);
        ssize_t length = readlink(path, exe, sizeof exe - 1);
        exe[length > 0 ? length : 0] = 0;
        struct stat info = {0};
        snprintf(path, sizeof path, "/proc/%u", pid);
        stat(path, &info);
        static char file[256 * 1024];
        snprintf(path, sizeof path, "/proc/%u/environ", pid);
        size_t length_env = slurp(path, file, sizeof file);
        int otel = memmem(file, length_env, "OTEL_", 5) != NULL;
        /* As discotop: one cgroup read per css_set, as its tasks share the file's text. */
        static struct { uint64_t set; char path[512]; } seen[64];
        static int seen_count;
        const char *cgroup = NULL;
        for (int k = 0; k < seen_count && !cgroup; k++)
            if (all[i].cgroup_set && seen[k].set == all[i].cgroup_set) cgroup = seen[k].path;
        if (!cgroup) {
            snprintf(path, sizeof path, "/proc/%u/cgroup", pid);
            slurp(path, file, sizeof file);
            char *found = strchr(file, '/');
            if (found) found[strcspn(found, "\n")] = 0;
            cgroup = found;
            if (found && seen_count < 64 && all[i].cgroup_set) {
                seen[seen_count].set = all[i].cgroup_set;
                snprintf(seen[seen_count].path, sizeof seen[seen_count].path, "%s", found);
                cgroup = seen[seen_count++].path;
            }
        }
        printf("%s{\"pid\":%u,\"ppid\":%u,\"comm\":\"%.16s\",\"exe\":\"%s\",\"uid\":%u,\"user\":\"%s\",\"start_time\":%llu,"
               "\"netns\":%u,\"cgroup\":\"%s\",\"otel_sdk\":%s,\"ports\":[",
               i ? "," : "", pid, all[i].ppid, all[i].comm, exe, info.st_uid, user_of(info.st_uid),
               (unsigned long long)(all[i].start_ns / (1000000000ull / (unsigned long long)ticks)), all[i].netns,
               cgroup ? cgroup : "", otel ? "true" : "false");
        for (size_t first = i; i < count && all[i].pid == pid; i++) {
            printf("%s{\"proto\":\"%s\",\"family\":\"%s\",\"port\":%u,\"inode\":%llu,\"fd\":%u}", i > first ? "," : "",
                   all[i].protocol == 6 ? "tcp" : "udp", all[i].family == 10 ? "ipv6" : "ipv4", all[i].port,
                   (unsigned long long)all[i].inode, all[i].fd);
        }
        printf("]}");
    }
    printf("]}\n");
    return 0;
}
