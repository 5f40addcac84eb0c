#include <stdlib.h>
#include "FuzzDriver.h"

// libFuzzer's entry point for programs with a main() of their own (compiler-rt FuzzerDriver).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

void discotop_fuzz(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size)) {
    exit(LLVMFuzzerRunDriver(&argc, &argv, test_one_input));
}
