/* stop.h - the stop flag: SIGINT and SIGTERM caught so that a command can
 * clean up, and the one blocking call (getaddrinfo) they end at once. */
#ifndef SOCKIT_STOP_H
#define SOCKIT_STOP_H

#include <signal.h>

struct addrinfo;

/* SIGINT, SIGTERM or SIGHUP caught (0: none yet). */
extern volatile sig_atomic_t stop_signal;
/* Catches SIGINT, SIGTERM and (unless ignored, as under nohup) SIGHUP into
 * stop_signal, without SA_RESTART, so that blocking calls return EINTR and
 * the caller can clean up. */
void stop_catch(void);
/* SIGUSR1 caught: a request for the statistics so far (tcpdump's habit);
 * the command prints them, clears it and goes on. */
extern volatile sig_atomic_t stats_request;
/* Catches SIGUSR1 into stats_request, without SA_RESTART. */
void stats_catch(void);
/* The exit status for the signal caught: 128 + its number (SIGINT 130,
 * SIGTERM 143, SIGHUP 129). */
int stop_status(void);
/* getaddrinfo(3), during which a caught SIGINT/SIGTERM ends the program at
 * once, by the signal, as if it were not caught: glibc retries EINTR, so a
 * lookup that hangs could not be interrupted otherwise. */
int stop_getaddrinfo(const char *host, const char *port,
    const struct addrinfo *hints, struct addrinfo **res);

#endif
