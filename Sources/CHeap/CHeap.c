#include "CHeap.h"
#include <malloc.h>

long jc_heap_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 m = mallinfo2();
    return (long)(m.uordblks + m.hblkhd);
#else
    return -1;
#endif
}
