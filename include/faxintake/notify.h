/*
 * notify.h — the systemd notification protocol without libsystemd (after
 * systemd's notify-selfcontained-example.c).  Every call is a no-op
 * returning 0 when NOTIFY_SOCKET is not set.
 */
#ifndef FAXINTAKE_NOTIFY_H
#define FAXINTAKE_NOTIFY_H

int		 notify_send(const char *state);	/* "READY=1" ... */
/* Watchdog interval the service manager wants pings at (half of
 * WatchdogSec), in ms; 0 when none. */
long long	 notify_watchdog_ms(void);

#endif
