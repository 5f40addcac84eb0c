#ifndef DISCOTOP_FUZZ_DRIVER_H
#define DISCOTOP_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer on `test_one_input` with the program's arguments and exits with its status.
///
/// SwiftPM links an executable with main() aliased to its module's top-level code, and the
/// alias beats libFuzzer's own main(); so the top-level code calls this. libFuzzer's main()
/// is still linked in, unused, and needs the harness exported as LLVMFuzzerTestOneInput.
_Noreturn void discotop_fuzz(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
