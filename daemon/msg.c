/* msg.c — strict message encoding and fd passing over SOCK_SEQPACKET. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "faxintake/msg.h"

/* Header on the wire: u32 version, u32 type, then the payload. */
#define HDR_LEN	8

void
msg_init(struct msg *m, uint32_t type)
{
	m->type = type;
	m->len = 0;
	m->off = 0;
	m->err = 0;
	m->fd = -1;
}

static void
put(struct msg *m, const void *p, size_t n)
{
	if (m->err || n > sizeof(m->data) - HDR_LEN - m->len) {
		m->err = 1;
		return;
	}
	memcpy(m->data + m->len, p, n);
	m->len += n;
}

static int
get(struct msg *m, void *p, size_t n)
{
	if (m->err || n > m->len - m->off) {
		m->err = 1;
		memset(p, 0, n);
		return -1;
	}
	memcpy(p, m->data + m->off, n);
	m->off += n;
	return 0;
}

void
msg_put_u32(struct msg *m, uint32_t v)
{
	put(m, &v, sizeof(v));
}

void
msg_put_u64(struct msg *m, uint64_t v)
{
	put(m, &v, sizeof(v));
}

void
msg_put_str(struct msg *m, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : 0;

	msg_put_u32(m, n);
	if (n)
		put(m, s, n);
}

uint32_t
msg_get_u32(struct msg *m)
{
	uint32_t v;

	get(m, &v, sizeof(v));
	return v;
}

uint64_t
msg_get_u64(struct msg *m)
{
	uint64_t v;

	get(m, &v, sizeof(v));
	return v;
}

void
msg_get_str(struct msg *m, char *out, size_t size)
{
	uint32_t n = msg_get_u32(m);

	out[0] = '\0';
	if (m->err)
		return;
	if (n >= size || n > m->len - m->off) {
		m->err = 1;
		return;
	}
	memcpy(out, m->data + m->off, n);
	out[n] = '\0';
	m->off += n;
}

int
msg_end(struct msg *m)
{
	return (m->err || m->off != m->len) ? -EBADMSG : 0;
}

int
msg_send(int sock, const struct msg *m)
{
	unsigned char hdr[HDR_LEN];
	uint32_t v = MSG_VERSION;
	struct iovec iov[2];
	struct msghdr mh;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	ssize_t n;

	if (m->err)
		return -EBADMSG;
	memcpy(hdr, &v, 4);
	memcpy(hdr + 4, &m->type, 4);
	iov[0].iov_base = hdr;
	iov[0].iov_len = HDR_LEN;
	iov[1].iov_base = (void *)m->data;
	iov[1].iov_len = m->len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	if (m->fd >= 0) {
		struct cmsghdr *c;

		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &m->fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == HDR_LEN + m->len ? 0 : -EMSGSIZE;
}

int
msg_recv(int sock, struct msg *m)
{
	unsigned char hdr[HDR_LEN];
	struct iovec iov[2];
	struct msghdr mh;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	uint32_t v;
	ssize_t n;

	msg_init(m, 0);
	iov[0].iov_base = hdr;
	iov[0].iov_len = HDR_LEN;
	iov[1].iov_base = m->data;
	iov[1].iov_len = sizeof(m->data) - HDR_LEN;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&m->fd, CMSG_DATA(c), sizeof(int));
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || n < HDR_LEN) {
		if (m->fd >= 0)
			close(m->fd);
		m->fd = -1;
		return -EBADMSG;
	}
	memcpy(&v, hdr, 4);
	memcpy(&m->type, hdr + 4, 4);
	if (v != MSG_VERSION) {
		if (m->fd >= 0)
			close(m->fd);
		m->fd = -1;
		return -EBADMSG;
	}
	m->len = (size_t)n - HDR_LEN;
	return 0;
}
