/* stop.c - the stop flag and the interruptible getaddrinfo (stop.h). */
#include <string.h>
#include <sys/socket.h>
#include <netdb.h>

#include "core/stop.h"
#include "error.h"

volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t signals_fatal;

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
	if (signals_fatal)	/* in getaddrinfo, which retries EINTR: end
				 * now */
		end_by_signal(sig);
}

int
stop_getaddrinfo(const char *host, const char *port,
    const struct addrinfo *hints, struct addrinfo **res)
{
	int r;

	signals_fatal = 1;
	if (stop_signal)
		end_by_signal(stop_signal);
	r = getaddrinfo(host, port, hints, res);
	signals_fatal = 0;
	return r;
}

void
stop_catch(void)
{
	struct sigaction sa, hup;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a hang-up cleans up as SIGTERM does, unless ignored (nohup) */
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
}

volatile sig_atomic_t stats_request;

static void
on_stats_signal(int sig)
{
	(void)sig;
	stats_request = 1;
}

void
stats_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stats_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

int
stop_status(void)
{
	return stop_signal ? 128 + stop_signal : 130;	/* 130, 143, 129
							 * (SIGHUP) */
}
