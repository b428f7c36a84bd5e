/* test_outbox.c — when a letter may be faxed without a person's release,
 * and what the outbound command may dial. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tmpdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "faxintake/outbox.h"
#include "faxintake/send.h"
#include "faxintake/store.h"

static void
test_may_send(void **state)
{
	char *tsi[] = { "+81 3 9970 1409", "0364604631" };
	static const struct {
		const char *what;
		int auto_send;
		const char *to, *doc;
		size_t nsenders;
		int want;
	} t[] = {
		{ "sender's number, the form agrees", 1, "03-9970-1409",
		  "03(9970)1409", 2, 1 },
		{ "auto_send off", 0, "03-9970-1409", "03-9970-1409", 2, 0 },
		{ "one digit off the sender", 1, "03-9970-1408", "03-9970-1408",
		  2, 0 },
		{ "sender's number, the form says another", 1, "03-9970-1409",
		  "03-9970-1408", 2, 0 },
		{ "nothing read on the documents", 1, "03-9970-1409", NULL, 2, 0 },
		{ "no sender known", 1, "03-9970-1409", "03-9970-1409", 0, 0 },
		{ "no number at all", 1, NULL, "03-9970-1409", 2, 0 },
		{ "the clinic's number, agreed", 1, "03-6460-4631",
		  "03-6460-4631", 2, 1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (outbox_may_send(t[i].auto_send, t[i].to, t[i].doc, tsi,
		    t[i].nsenders) != t[i].want)
			fail_msg("%s: want %d", t[i].what, t[i].want);
}

static void
test_send_number(void **state)
{
	static const struct { const char *in, *want; } ok[] = {
		{ "03-5363-3865", "0353633865" },
		{ "0166(25)8370", "0166258370" },
		{ "+81 3 9970 1409", "0399701409" },
		{ "090 1234 5678", "09012345678" },
	};
	static const char *const bad[] = {
		"03-1234", "003-1234-5678", "0312345678901", "03-5363-3865;rm",
		"$(reboot)", "", "3-5363-3865",
	};
	char out[16];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(send_number(ok[i].in, out), 0);
		assert_string_equal(out, ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (send_number(bad[i], out) == 0)
			fail_msg("'%s' taken as a phone number", bad[i]);
	assert_int_equal(send_number(NULL, out), -22);
}

/*
 * More letters due than commands may run at once: while every slot is
 * busy, the loop must be told to wait for a child (no timeout of 0 that
 * would spin), and the waiting letter goes once a slot frees.
 */
static void
test_send_slots(void **state)
{
	char *dir = tmpdir_make("outbox"), *db, *err = NULL;
	char *argv[] = { "/bin/sleep", "2", NULL };
	struct store *st;
	struct send *s;
	long long now = (long long)time(NULL), id, next;
	char cid[STORE_CASE_ID_LEN];

	(void)state;
	assert_non_null(dir);
	assert_true(asprintf(&db, "%s/t.db", dir) > 0);
	assert_int_equal(store_open(db, STORE_CREATE, &st, &err), 0);
	assert_int_equal(store_case_create(st, "keio", now, cid), 0);
	for (int i = 0; i < 3; i++) {
		struct store_letter l;

		memset(&l, 0, sizeof(l));
		l.case_id = cid;
		l.kind = "receipt_notice";
		l.channel = "fax";
		l.to_fax = "03-5363-3865";
		l.status = "queued";
		assert_int_equal(store_letter_add(st, &l, &id), 0);
	}
	s = send_new();
	assert_int_equal(send_start(s, st, argv, now), 0);
	assert_int_equal(send_busy(s), 2);
	next = send_next(s, st, now);
	assert_true(next > 0);		/* not "due now": that would spin */
	assert_true(next <= SEND_TIMEOUT_SECONDS);
	/* A slot frees; the third letter goes. */
	for (int i = 0; i < 100 && send_busy(s) == 2; i++) {
		usleep(100 * 1000);
		send_reap(s, st, (long long)time(NULL));
	}
	assert_true(send_busy(s) < 2);
	assert_int_equal(send_start(s, st, argv, (long long)time(NULL)), 0);
	assert_true(send_busy(s) >= 1);
	send_free(s);
	store_close(st);
	free(db);
	tmpdir_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_may_send),
		cmocka_unit_test(test_send_number),
		cmocka_unit_test(test_send_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
