/* ready.c — the table of names waiting to be complete. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "faxintake/ready.h"
#include "faxintake/xmalloc.h"

struct ready_entry {
	size_t		 inbox;
	char		*name;
	int		 writing;	/* created and not yet closed */
	long long	 due;		/* monotonic ms */
};

struct ready {
	struct ready_entry *e;
	size_t		 n;
	long long	 settle_ms;
};

struct ready *
ready_new(long long settle_ms)
{
	struct ready *r = xcalloc(1, sizeof(*r));

	r->settle_ms = settle_ms;
	return r;
}

void
ready_free(struct ready *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].name);
	free(r->e);
	free(r);
}

static struct ready_entry *
ready_find(struct ready *r, size_t inbox, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].inbox == inbox && strcmp(r->e[i].name, name) == 0)
			return &r->e[i];
	return NULL;
}

/* Order is kept: entries due together are claimed in the order seen. */
static void
ready_remove(struct ready *r, size_t i)
{
	free(r->e[i].name);
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof(*r->e));
	r->n--;
}

void
ready_note(struct ready *r, size_t inbox, const char *name,
    enum watch_event ev, long long now_ms)
{
	struct ready_entry *e = ready_find(r, inbox, name);

	if (ev == WATCH_GONE) {
		if (e)
			ready_remove(r, (size_t)(e - r->e));
		return;
	}
	if (e == NULL) {
		r->e = xreallocarray(r->e, r->n + 1, sizeof(*r->e));
		e = &r->e[r->n++];
		e->inbox = inbox;
		e->name = xstrdup(name);
		e->writing = 0;
		e->due = now_ms + r->settle_ms;
	} else if (ev == WATCH_SEEN)
		/* A scan knows nothing new: it must not cut short a writer's
		 * wait or a retry delay (rescan_seconds runs often). */
		return;
	switch (ev) {
	case WATCH_WRITING:
		e->writing = 1;
		e->due = now_ms + READY_WRITING_MS;
		break;
	case WATCH_CLOSED:
		e->writing = 0;
		e->due = now_ms + r->settle_ms;
		break;
	case WATCH_SEEN:
	case WATCH_GONE:
		break;
	}
}

size_t
ready_run(struct ready *r, long long now_ms, ready_fn fn, void *arg)
{
	size_t handled = 0;

	for (size_t i = 0; i < r->n;) {
		struct ready_entry *e = &r->e[i];
		long long retry = 0;

		if (e->due > now_ms) {
			i++;
			continue;
		}
		handled++;
		if (fn(arg, e->inbox, e->name, &retry) == READY_DONE) {
			ready_remove(r, i);
			continue;
		}
		/* fn may have noted entries (realloc): index again. */
		r->e[i].writing = 0;
		r->e[i].due = now_ms + (retry > 0 ? retry : r->settle_ms);
		i++;
	}
	return handled;
}

long long
ready_next(const struct ready *r, long long now_ms)
{
	long long best = -1;

	for (size_t i = 0; i < r->n; i++) {
		long long d = r->e[i].due - now_ms;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

size_t
ready_count(const struct ready *r)
{
	return r->n;
}

void
ready_expedite(struct ready *r, long long now_ms)
{
	for (size_t i = 0; i < r->n; i++)
		if (!r->e[i].writing)
			r->e[i].due = now_ms;
}
