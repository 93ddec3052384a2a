// signals.c keeps COIN-OR's solvers from taking the program's interrupts.
//
// CLP's initial solve and CBC's solver loop call signal(SIGINT, handler)
// to stop a solve on Ctrl-C, and put the handler before them back when
// they return. Their handler acts on a static "current model": with solves
// overlapping on several threads it can be a model whose solve has
// returned, and the handler saved by one solve can be another's. An
// interrupt was then lost, or COIN-OR's handler stayed in place and Go
// never saw SIGINT again.
//
// This signal() is found before the C library's when the solvers' shared
// libraries bind their calls (a symbol the executable defines and a shared
// library uses is exported by the linker). For SIGINT and SIGTERM it
// changes nothing and returns the handler in place, so the program's
// handlers (Go's) stay in place and a solve is stopped by its context
// (Model.SolveContext). Other signals go to the C library's signal().
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stddef.h>

typedef void (*sillage_sighandler)(int);

// next is the C library's signal(), found once when the program loads.
static sillage_sighandler (*next)(int, sillage_sighandler);

__attribute__((constructor)) static void sillage_find_signal(void) {
	next = (sillage_sighandler (*)(int, sillage_sighandler))dlsym(RTLD_NEXT, "signal");
}

sillage_sighandler signal(int sig, sillage_sighandler handler) {
	if (sig == SIGINT || sig == SIGTERM) {
		struct sigaction cur;
		if (sigaction(sig, NULL, &cur) != 0) {
			return SIG_ERR;
		}
		return cur.sa_handler;
	}
	if (next == NULL) {
		return SIG_ERR;
	}
	return next(sig, handler);
}
