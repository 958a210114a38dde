/*
 * CFuzzer: the declaration of libFuzzer's driver entry, for jacobi-fuzz's own main.
 *
 * SwiftPM renames an executable's entry point and aliases `main` to it, which hides libFuzzer's
 * `main`; jacobi-fuzz (built with -sanitize=fuzzer, see `make fuzz`) calls the driver itself.
 * The symbol exists only in such builds, so only code compiled with -DFUZZING refers to it.
 */
#ifndef CFUZZER_H
#define CFUZZER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** libFuzzer's driver: parses argv and runs `callback` on every input. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#ifdef __cplusplus
}
#endif

#endif
