/*
 * test_msg.c — daemon/worker messages over a SOCK_SEQPACKET socketpair:
 * every message type round trips, decoding is strict (short, extra bytes,
 * over-long strings, wrong version, truncated or oversized packets), and a
 * file descriptor travels with its message and is never leaked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "faxintake/msg.h"

struct fx {
	int		 sv[2];
	struct msg	 out, in;	/* 128 kB each: not on the stack */
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (x == NULL ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, x->sv) == -1)
		return -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	close(x->sv[0]);
	close(x->sv[1]);
	free(x);
	return 0;
}

static int
nfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void
test_roundtrip_all_types(void **state)
{
	struct fx *x = *state;
	char mime[64], code[64], reason[512], sender[64];

	/* HELLO */
	msg_init(&x->out, MSG_HELLO);
	msg_put_u32(&x->out, 4242);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	assert_int_equal(x->in.type, MSG_HELLO);
	assert_int_equal(x->in.fd, -1);
	assert_int_equal(msg_get_u32(&x->in), 4242);
	assert_int_equal(msg_end(&x->in), 0);

	/* PAGE: extremes of every field. */
	msg_init(&x->out, MSG_PAGE);
	msg_put_u64(&x->out, UINT64_MAX - 1);
	msg_put_u32(&x->out, 1);
	msg_put_u32(&x->out, 1728);
	msg_put_u32(&x->out, UINT32_MAX);
	msg_put_u32(&x->out, 204);
	msg_put_u32(&x->out, 98);
	msg_put_u32(&x->out, 0);
	assert_int_equal(msg_send(x->sv[1], &x->out), 0);	/* both ways */
	assert_int_equal(msg_recv(x->sv[0], &x->in), 0);
	assert_int_equal(x->in.type, MSG_PAGE);
	assert_true(msg_get_u64(&x->in) == UINT64_MAX - 1);
	assert_int_equal(msg_get_u32(&x->in), 1);
	assert_int_equal(msg_get_u32(&x->in), 1728);
	assert_true(msg_get_u32(&x->in) == UINT32_MAX);
	assert_int_equal(msg_get_u32(&x->in), 204);
	assert_int_equal(msg_get_u32(&x->in), 98);
	assert_int_equal(msg_get_u32(&x->in), 0);
	assert_int_equal(msg_end(&x->in), 0);

	/* DONE: strings, a NULL one sent as "". */
	msg_init(&x->out, MSG_DONE);
	msg_put_u64(&x->out, 7);
	msg_put_u32(&x->out, 3);
	msg_put_str(&x->out, "image/tiff");
	msg_put_str(&x->out, NULL);
	assert_int_equal(msg_send(x->sv[1], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[0], &x->in), 0);
	assert_int_equal(x->in.type, MSG_DONE);
	assert_int_equal(msg_get_u64(&x->in), 7);
	assert_int_equal(msg_get_u32(&x->in), 3);
	msg_get_str(&x->in, mime, sizeof(mime));
	msg_get_str(&x->in, sender, sizeof(sender));
	assert_string_equal(mime, "image/tiff");
	assert_string_equal(sender, "");
	assert_int_equal(msg_end(&x->in), 0);

	/* REJECT: UTF-8 text. */
	msg_init(&x->out, MSG_REJECT);
	msg_put_u64(&x->out, 8);
	msg_put_str(&x->out, "text/plain");
	msg_put_str(&x->out, "unsupported_type");
	msg_put_str(&x->out, "ASCII text: 紹介状ではありません");
	assert_int_equal(msg_send(x->sv[1], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[0], &x->in), 0);
	assert_int_equal(x->in.type, MSG_REJECT);
	assert_int_equal(msg_get_u64(&x->in), 8);
	msg_get_str(&x->in, mime, sizeof(mime));
	msg_get_str(&x->in, code, sizeof(code));
	msg_get_str(&x->in, reason, sizeof(reason));
	assert_string_equal(mime, "text/plain");
	assert_string_equal(code, "unsupported_type");
	assert_string_equal(reason, "ASCII text: 紹介状ではありません");
	assert_int_equal(msg_end(&x->in), 0);

	/* An empty message is a message. */
	msg_init(&x->out, MSG_HELLO);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	assert_int_equal(x->in.len, 0);
	assert_int_equal(msg_end(&x->in), 0);
}

static void
test_fd_passing(void **state)
{
	struct fx *x = *state;
	char path[] = "/tmp/fi-msg-XXXXXX", buf[32];
	int fd, before;
	ssize_t n;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, "II*\0 a fax", 10), 10);
	before = nfds();

	msg_init(&x->out, MSG_JOB_DECODE);
	msg_put_u64(&x->out, 99);
	x->out.fd = fd;
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	close(fd);			/* the receiver has its own now */
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	assert_int_equal(x->in.type, MSG_JOB_DECODE);
	assert_true(x->in.fd >= 0);
	assert_int_equal(msg_get_u64(&x->in), 99);
	assert_int_equal(msg_end(&x->in), 0);
	assert_true(fcntl(x->in.fd, F_GETFD) & FD_CLOEXEC);
	n = pread(x->in.fd, buf, sizeof(buf), 0);
	assert_int_equal(n, 10);
	assert_memory_equal(buf, "II*\0 a fax", 10);
	close(x->in.fd);
	assert_int_equal(nfds(), before - 1);

	/* The next message without an fd reports none. */
	msg_init(&x->out, MSG_HELLO);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	assert_int_equal(x->in.fd, -1);
}

static void
test_strict_decoding(void **state)
{
	struct fx *x = *state;
	char small[4], ok[6];

	/* Short: reading past the end. */
	msg_init(&x->out, MSG_PAGE);
	msg_put_u64(&x->out, 1);
	msg_put_u32(&x->out, 1);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	assert_int_equal(msg_get_u64(&x->in), 1);
	assert_int_equal(msg_get_u32(&x->in), 1);
	assert_int_equal(msg_get_u32(&x->in), 0);	/* missing: 0 and bad */
	assert_int_equal(msg_end(&x->in), -EBADMSG);
	assert_int_equal(msg_get_u32(&x->in), 0);	/* stays bad */
	assert_int_equal(msg_end(&x->in), -EBADMSG);

	/* Extra bytes left over. */
	msg_init(&x->out, MSG_HELLO);
	msg_put_u32(&x->out, 1);
	msg_put_u32(&x->out, 2);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	assert_int_equal(msg_get_u32(&x->in), 1);
	assert_int_equal(msg_end(&x->in), -EBADMSG);
	/* A u64 where only 4 bytes are. */
	x->in.off = 4;
	x->in.err = 0;
	assert_int_equal(msg_get_u64(&x->in), 0);
	assert_int_equal(msg_end(&x->in), -EBADMSG);

	/* A string longer than the caller's buffer; one that just fits. */
	msg_init(&x->out, MSG_DONE);
	msg_put_str(&x->out, "abcde");
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	msg_get_str(&x->in, small, sizeof(small));
	assert_string_equal(small, "");
	assert_int_equal(msg_end(&x->in), -EBADMSG);
	x->in.off = 0;
	x->in.err = 0;
	msg_get_str(&x->in, ok, sizeof(ok));
	assert_string_equal(ok, "abcde");
	assert_int_equal(msg_end(&x->in), 0);

	/* A string length that claims more than the packet holds. */
	msg_init(&x->out, MSG_DONE);
	msg_put_u32(&x->out, 1000);
	msg_put_u32(&x->out, 0x41414141);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	{
		char big[2000];
		msg_get_str(&x->in, big, sizeof(big));
		assert_string_equal(big, "");
	}
	assert_int_equal(msg_end(&x->in), -EBADMSG);
	/* A length near 4 GB must not wrap the bounds check. */
	msg_init(&x->out, MSG_DONE);
	msg_put_u32(&x->out, UINT32_MAX);
	msg_put_u32(&x->out, 0);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	{
		char big[64];
		msg_get_str(&x->in, big, SIZE_MAX);
		(void)big;
	}
	assert_int_equal(msg_end(&x->in), -EBADMSG);
}

/* Raw packets that no msg_send() makes. */
static void
test_bad_packets(void **state)
{
	struct fx *x = *state;
	unsigned char pkt[16];
	uint32_t v;
	unsigned char *huge;
	size_t hlen = MSG_MAX + 64;

	/* Shorter than the header. */
	assert_int_equal(send(x->sv[0], "abc", 3, 0), 3);
	assert_int_equal(msg_recv(x->sv[1], &x->in), -EBADMSG);

	/* Another version. */
	v = MSG_VERSION + 1;
	memcpy(pkt, &v, 4);
	v = MSG_HELLO;
	memcpy(pkt + 4, &v, 4);
	memset(pkt + 8, 0, 4);
	assert_int_equal(send(x->sv[0], pkt, 12, 0), 12);
	assert_int_equal(msg_recv(x->sv[1], &x->in), -EBADMSG);
	v = 0;
	memcpy(pkt, &v, 4);
	assert_int_equal(send(x->sv[0], pkt, 12, 0), 12);
	assert_int_equal(msg_recv(x->sv[1], &x->in), -EBADMSG);

	/* Bigger than any message: truncated by the socket, refused. */
	huge = calloc(1, hlen);
	v = MSG_VERSION;
	memcpy(huge, &v, 4);
	v = MSG_DONE;
	memcpy(huge + 4, &v, 4);
	{
		int sz = 4 * 1024 * 1024;
		setsockopt(x->sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	assert_int_equal(send(x->sv[0], huge, hlen, 0), (ssize_t)hlen);
	assert_int_equal(msg_recv(x->sv[1], &x->in), -EBADMSG);
	free(huge);

	/* The stream goes on after a bad packet. */
	msg_init(&x->out, MSG_HELLO);
	msg_put_u32(&x->out, 5);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	assert_int_equal(msg_get_u32(&x->in), 5);
	assert_int_equal(msg_end(&x->in), 0);

	/* The peer gone. */
	close(x->sv[0]);
	x->sv[0] = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), -EPIPE);
}

/* A bad packet that carries an fd: refused and the fd closed. */
static void
test_bad_packet_fd_closed(void **state)
{
	struct fx *x = *state;
	unsigned char pkt[12];
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	uint32_t v = MSG_VERSION + 7;
	int fd = open("/dev/null", O_RDONLY), before;

	memcpy(pkt, &v, 4);
	memset(pkt + 4, 0, 8);
	iov.iov_base = pkt;
	iov.iov_len = sizeof(pkt);
	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	assert_int_equal(sendmsg(x->sv[0], &mh, 0), (ssize_t)sizeof(pkt));
	close(fd);
	before = nfds();
	assert_int_equal(msg_recv(x->sv[1], &x->in), -EBADMSG);
	assert_int_equal(x->in.fd, -1);
	assert_int_equal(nfds(), before);
}

/* Building a message past MSG_MAX marks it bad; it is never sent. */
static void
test_put_overflow(void **state)
{
	struct fx *x = *state;
	char *s = malloc(MSG_MAX);
	size_t fit;

	memset(s, 'x', MSG_MAX - 1);
	s[MSG_MAX - 1] = '\0';
	msg_init(&x->out, MSG_REJECT);
	msg_put_str(&x->out, s);
	assert_true(x->out.err);
	assert_int_equal(msg_send(x->sv[0], &x->out), -EBADMSG);

	/* The largest string that fits (8 header bytes, 4 for the length)
	 * goes through whole. */
	fit = MSG_MAX - 8 - 4;
	s[fit] = '\0';
	msg_init(&x->out, MSG_REJECT);
	msg_put_str(&x->out, s);
	assert_false(x->out.err);
	assert_int_equal(msg_send(x->sv[0], &x->out), 0);
	assert_int_equal(msg_recv(x->sv[1], &x->in), 0);
	{
		char *got = malloc(MSG_MAX);
		msg_get_str(&x->in, got, MSG_MAX);
		assert_int_equal(strlen(got), fit);
		assert_int_equal(msg_end(&x->in), 0);
		free(got);
	}
	free(s);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_roundtrip_all_types),
		T(test_fd_passing),
		T(test_strict_decoding),
		T(test_bad_packets),
		T(test_bad_packet_fd_closed),
		T(test_put_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
