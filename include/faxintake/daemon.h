/*
 * daemon.h — faxintaked: the top-level context and its event loop.
 */
#ifndef FAXINTAKE_DAEMON_H
#define FAXINTAKE_DAEMON_H

#define DAEMON_ONCE		0x1	/* process what is there, then exit */
#define DAEMON_FOREGROUND	0x2

/* Run the daemon; returns the exit code (0, 1 failure, 2 configuration). */
int	daemon_main(const char *config_path, int flags);

#endif
