package clp

/*
#include <stddef.h>

// glibc's struct mallinfo2, declared here so the file builds without
// <malloc.h>; the weak reference leaves mallinfo2 NULL on other C libraries.
struct sillage_mallinfo2 {
	size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
};
extern struct sillage_mallinfo2 mallinfo2(void) __attribute__((weak));

static long long sillage_c_heap_in_use(void) {
	if (!mallinfo2) return -1;
	struct sillage_mallinfo2 mi = mallinfo2();
	return (long long)(mi.uordblks + mi.hblkhd);
}
*/
import "C"

// cHeapInUse returns the bytes of C heap in use (allocated blocks plus
// mmapped ones) as glibc's mallinfo2 counts them, or −1 without glibc.
// mallinfo2 sees the main malloc arena only: run with MALLOC_ARENA_MAX=1 to
// count every thread's allocations. Tests use it to detect leaks.
func cHeapInUse() int64 { return int64(C.sillage_c_heap_in_use()) }
