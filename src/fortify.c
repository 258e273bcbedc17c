/* SPDX-License-Identifier: MIT */
/*
 * fortify.c - the three glibc fortify entry points Debian's libbearssl.a
 * calls, for the musl static build only (DESIGN.md, Dependencies): each
 * forwards to the plain function. The static link lists our library again
 * after libbearssl.a so these resolve its references. Empty otherwise.
 */
#include <stddef.h>
#include <string.h>

#ifdef PM_STATIC
void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);

void *
__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
	(void)dstlen;
	return memcpy(dst, src, n);
}

void *
__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
	(void)dstlen;
	return memmove(dst, src, n);
}

void *
__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
	(void)dstlen;
	return memset(dst, c, n);
}
#else
typedef int pm_fortify_unused; /* ISO C wants a declaration in every translation unit */
#endif
