/*
 * test_ready.c — when a name in an inbox is due to be looked at: writers
 * wait for their close (or READY_WRITING_MS), closed and scanned names for
 * the settle time, retries for their own delay; a scan never cuts a wait
 * short; expedite and GONE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/ready.h"

#define SETTLE	2000

struct calls {
	int		 n;
	char		 seen[64][32];
	size_t		 inbox[64];
	enum ready_verdict verdict;
	long long	 retry_ms;
	struct ready	*r;		/* for a callback that notes more */
	int		 note_more;
	long long	 note_at;
};

static enum ready_verdict
fn(void *arg, size_t inbox, const char *name, long long *retry_ms)
{
	struct calls *c = arg;

	if (c->n < 64) {
		snprintf(c->seen[c->n], sizeof(c->seen[0]), "%s", name);
		c->inbox[c->n] = inbox;
	}
	c->n++;
	if (c->note_more) {
		/* Forces the table to grow while it is being walked. */
		for (int i = 0; i < c->note_more; i++) {
			char more[32];
			snprintf(more, sizeof(more), "more%d", i);
			ready_note(c->r, 9, more, WATCH_CLOSED, c->note_at);
		}
		c->note_more = 0;
	}
	if (c->verdict == READY_RETRY)
		*retry_ms = c->retry_ms;
	return c->verdict;
}

/* How many entries ready_run() handles at time t (verdict DONE). */
static int
run_at(struct ready *r, long long t)
{
	struct calls c = { .verdict = READY_DONE };

	ready_run(r, t, fn, &c);
	return c.n;
}

static void
test_timing_table(void **state)
{
	static const struct {
		const char	*what;
		enum watch_event ev1;
		long long	 t1;
		int		 has2;
		enum watch_event ev2;
		long long	 t2;
		long long	 not_before;	/* not due at this - 1 */
	} t[] = {
		{ "closed", WATCH_CLOSED, 0, 0, 0, 0, SETTLE },
		{ "scanned", WATCH_SEEN, 0, 0, 0, 0, SETTLE },
		{ "writing", WATCH_WRITING, 0, 0, 0, 0, READY_WRITING_MS },
		{ "writing then closed", WATCH_WRITING, 0, 1, WATCH_CLOSED, 5000,
		  5000 + SETTLE },
		{ "closed again restarts settle", WATCH_CLOSED, 0, 1,
		  WATCH_CLOSED, 1500, 1500 + SETTLE },
		{ "scan during a writer's wait", WATCH_WRITING, 0, 1,
		  WATCH_SEEN, 100, READY_WRITING_MS },
		{ "scan late in a writer's wait", WATCH_WRITING, 0, 1,
		  WATCH_SEEN, READY_WRITING_MS - 10, READY_WRITING_MS },
		{ "scan during settle", WATCH_CLOSED, 0, 1, WATCH_SEEN, 1500,
		  SETTLE },
		{ "created after a scan", WATCH_SEEN, 0, 1, WATCH_WRITING, 10,
		  10 + READY_WRITING_MS },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ready *r = ready_new(SETTLE);

		ready_note(r, 0, "fax001.tif", t[i].ev1, t[i].t1);
		if (t[i].has2)
			ready_note(r, 0, "fax001.tif", t[i].ev2, t[i].t2);
		assert_int_equal(ready_count(r), 1);
		if (run_at(r, t[i].not_before - 1) != 0)
			fail_msg("%s: due before %lld", t[i].what,
			    t[i].not_before);
		assert_int_equal(ready_next(r, t[i].not_before - 1), 1);
		if (run_at(r, t[i].not_before) != 1)
			fail_msg("%s: not due at %lld", t[i].what,
			    t[i].not_before);
		assert_int_equal(ready_count(r), 0);
		assert_int_equal(ready_next(r, t[i].not_before), -1);
		ready_free(r);
	}
	ready_free(NULL);
}

static void
test_retry(void **state)
{
	struct ready *r = ready_new(SETTLE);
	struct calls c = { .verdict = READY_RETRY, .retry_ms = 30000 };

	(void)state;
	ready_note(r, 0, "locked.tif", WATCH_CLOSED, 0);
	assert_int_equal(ready_run(r, SETTLE, fn, &c), 1);
	assert_int_equal(ready_count(r), 1);
	assert_int_equal(ready_next(r, SETTLE), 30000);
	assert_int_equal(run_at(r, SETTLE + 29999), 0);

	/* A rescan (rescan_seconds) must not cut the retry delay short. */
	ready_note(r, 0, "locked.tif", WATCH_SEEN, SETTLE + 1000);
	assert_int_equal(ready_next(r, SETTLE + 1000), 29000);
	assert_int_equal(run_at(r, SETTLE + 1000 + SETTLE), 0);
	assert_int_equal(run_at(r, SETTLE + 29999), 0);
	assert_int_equal(run_at(r, SETTLE + 30000), 1);
	ready_free(r);

	/* A retry of 0 means the settle time; a writer that never closed
	 * and is retried waits the retry, not another minute. */
	r = ready_new(SETTLE);
	c.n = 0;
	c.retry_ms = 0;
	ready_note(r, 0, "x", WATCH_CLOSED, 0);
	assert_int_equal(ready_run(r, SETTLE, fn, &c), 1);
	assert_int_equal(ready_next(r, SETTLE), SETTLE);
	ready_free(r);
	r = ready_new(SETTLE);
	c.retry_ms = 500;
	ready_note(r, 0, "w", WATCH_WRITING, 0);
	assert_int_equal(ready_run(r, READY_WRITING_MS, fn, &c), 1);
	assert_int_equal(ready_next(r, READY_WRITING_MS), 500);
	ready_free(r);
}

static void
test_expedite_gone(void **state)
{
	struct ready *r = ready_new(600000);
	struct calls c = { .verdict = READY_DONE };

	(void)state;
	ready_note(r, 0, "a", WATCH_SEEN, 0);
	ready_note(r, 0, "b", WATCH_CLOSED, 0);
	ready_note(r, 0, "writing", WATCH_WRITING, 0);
	ready_note(r, 1, "a", WATCH_SEEN, 0);	/* another inbox: its own */
	ready_note(r, 0, "gone", WATCH_SEEN, 0);
	assert_int_equal(ready_count(r), 5);
	ready_note(r, 0, "gone", WATCH_GONE, 0);
	ready_note(r, 0, "never-seen", WATCH_GONE, 0);
	assert_int_equal(ready_count(r), 4);

	ready_expedite(r, 10);
	assert_int_equal(ready_next(r, 10), 0);
	assert_int_equal(ready_run(r, 10, fn, &c), 3);
	/* In the order they were seen. */
	assert_string_equal(c.seen[0], "a");
	assert_int_equal(c.inbox[0], 0);
	assert_string_equal(c.seen[1], "b");
	assert_string_equal(c.seen[2], "a");
	assert_int_equal(c.inbox[2], 1);
	/* The writer still waits for its close. */
	assert_int_equal(ready_count(r), 1);
	assert_int_equal(ready_next(r, 10), READY_WRITING_MS - 10);
	ready_note(r, 0, "writing", WATCH_GONE, 20);
	assert_int_equal(ready_count(r), 0);
	assert_int_equal(ready_next(r, 20), -1);
	ready_free(r);
}

static void
test_next_and_growth(void **state)
{
	struct ready *r = ready_new(SETTLE);
	struct calls c = { .verdict = READY_DONE };

	(void)state;
	assert_int_equal(ready_next(r, 0), -1);
	ready_note(r, 0, "late", WATCH_CLOSED, 1000);
	ready_note(r, 0, "early", WATCH_CLOSED, 0);
	assert_int_equal(ready_next(r, 0), SETTLE);
	assert_int_equal(ready_next(r, 500), SETTLE - 500);
	assert_int_equal(ready_next(r, 99999), 0);	/* overdue: now */

	/* The callback notes more names while the table is walked. */
	c.r = r;
	c.note_more = 200;
	c.note_at = SETTLE;
	assert_int_equal(ready_run(r, SETTLE, fn, &c), 1);
	assert_string_equal(c.seen[0], "early");
	assert_int_equal(ready_count(r), 201);
	assert_int_equal(run_at(r, 1000 + SETTLE), 1);	/* "late" */
	assert_int_equal(run_at(r, SETTLE + SETTLE), 200);
	assert_int_equal(ready_count(r), 0);
	ready_free(r);

	/* Many names, settle 0: all due at once. */
	r = ready_new(0);
	for (int i = 0; i < 1000; i++) {
		char name[16];
		snprintf(name, sizeof(name), "f%04d", i);
		ready_note(r, 0, name, WATCH_SEEN, 5);
		ready_note(r, 0, name, WATCH_SEEN, 5);	/* seen twice: once */
	}
	assert_int_equal(ready_count(r), 1000);
	assert_int_equal(run_at(r, 5), 1000);
	ready_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing_table),
		cmocka_unit_test(test_retry),
		cmocka_unit_test(test_expedite_gone),
		cmocka_unit_test(test_next_and_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
