/* test_outbox.c — when a letter may be faxed without a person's release,
 * and what the outbound command may dial. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "faxintake/outbox.h"
#include "faxintake/send.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_may_send),
		cmocka_unit_test(test_send_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
