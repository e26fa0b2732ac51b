/*
 * slow_resolver: an LD_PRELOAD shim for one integration test.  Every name
 * is answered a fifth of a second late, as a distant DNS server would:
 * long enough that curl's resolver thread hands the loop its own socket
 * to wait on.  Names under .invalid do not exist; every other one is
 * 127.0.0.1.  No DNS server is asked.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <string.h>
#include <time.h>

int	getaddrinfo(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **);

int
getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	int (*real)(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **);
	struct timespec late = { 0, 200 * 1000 * 1000 };

	*(void **)&real = dlsym(RTLD_NEXT, "getaddrinfo");
	if (real == NULL)
		return EAI_SYSTEM;
	if (node == NULL)
		return real(node, service, hints, res);
	nanosleep(&late, NULL);
	if (strlen(node) >= 8 && strcmp(node + strlen(node) - 8, ".invalid") ==
	    0)
		return EAI_NONAME;
	return real("127.0.0.1", service, hints, res);
}
