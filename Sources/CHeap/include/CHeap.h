/*
 * CHeap: how many bytes the process's heap holds, for the session's memory limit.
 *
 * glibc's mallinfo2() returns a struct that Swift's Glibc module does not import; this wrapper
 * returns the one figure the memory budget needs.
 */
#ifndef CHEAP_H
#define CHEAP_H

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes currently allocated by malloc (arena and mmapped blocks), or -1 if unknown. */
long jc_heap_in_use(void);

#ifdef __cplusplus
}
#endif

#endif
