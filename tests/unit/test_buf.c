/*
 * test_buf.c — the bounded buffer: limits are exact, a refused append
 * leaves the buffer as it was, buf_take hands over ownership.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/buf.h"

static void
test_limits(void **state)
{
	static const struct {
		size_t	 max;
		size_t	 first, second;	/* two appends of that many bytes */
		int	 rc1, rc2;
		size_t	 len;		/* after both */
	} t[] = {
		{ 0, 0, 0, 0, 0, 0 },
		{ 0, 1, 0, -E2BIG, 0, 0 },
		{ 10, 10, 0, 0, 0, 10 },
		{ 10, 10, 1, 0, -E2BIG, 10 },
		{ 10, 11, 1, -E2BIG, 0, 1 },
		{ 10, 4, 6, 0, 0, 10 },
		{ 10, 4, 7, 0, -E2BIG, 4 },
		{ 100, 64, 36, 0, 0, 100 },	/* across the first growth */
		{ 1000, 500, 500, 0, 0, 1000 },
		{ SIZE_MAX, 3, SIZE_MAX, 0, -E2BIG, 3 },	/* no overflow */
	};
	char src[1000];

	(void)state;
	memset(src, 'x', sizeof(src));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buf b;

		buf_init(&b, t[i].max);
		assert_int_equal(buf_add(&b, src, t[i].first), t[i].rc1);
		/* SIZE_MAX as a length must be refused before it is read. */
		assert_int_equal(buf_add(&b, src, t[i].second), t[i].rc2);
		assert_int_equal(b.len, t[i].len);
		if (b.data != NULL) {
			assert_int_equal(b.data[b.len], '\0');
			assert_int_equal(strspn(b.data, "x"), b.len);
		}
		buf_free(&b);
	}
}

static void
test_refused_append_changes_nothing(void **state)
{
	struct buf b;
	char *before_data;
	size_t before_cap;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_addstr(&b, "abcdef"), 0);
	before_data = b.data;
	before_cap = b.cap;
	assert_int_equal(buf_addstr(&b, "ghi"), -E2BIG);
	assert_int_equal(buf_printf(&b, "%d", 123), -E2BIG);
	assert_ptr_equal(b.data, before_data);
	assert_int_equal(b.cap, before_cap);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.data, "abcdef");
	assert_int_equal(buf_printf(&b, "%s", "gh"), 0);
	assert_string_equal(b.data, "abcdefgh");
	assert_int_equal(buf_add(&b, "", 0), 0);	/* full, but nothing */
	buf_free(&b);
}

static void
test_printf_and_binary(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(buf_printf(&b, "%s:%d: %s\n", "/etc/x.conf", 12, "bad"), 0);
	assert_int_equal(buf_printf(&b, "%05.1f|%-3s|", 3.14159, "a"), 0);
	assert_string_equal(b.data, "/etc/x.conf:12: bad\n003.1|a  |");
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_free(&b);			/* twice is harmless */
}

static void
test_take(void **state)
{
	struct buf b;
	char *p;

	(void)state;
	buf_init(&b, 16);
	p = buf_take(&b);		/* never NULL, even when empty */
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
	assert_int_equal(buf_addstr(&b, "hello"), 0);
	p = buf_take(&b);
	assert_string_equal(p, "hello");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* Usable again, with the same limit. */
	assert_int_equal(buf_addstr(&b, "0123456789abcdef"), 0);
	assert_int_equal(buf_addstr(&b, "!"), -E2BIG);
	assert_string_equal(b.data, "0123456789abcdef");
	assert_string_equal(p, "hello");	/* not aliased */
	free(p);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_refused_append_changes_nothing),
		cmocka_unit_test(test_printf_and_binary),
		cmocka_unit_test(test_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
