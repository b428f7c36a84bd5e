/*
 * msg.h — typed, versioned messages between the daemon and its workers
 * over a SOCK_SEQPACKET socketpair (one message per packet, at most
 * MSG_MAX bytes, optionally carrying one file descriptor).  Decoding is
 * strict: a short, over-long or wrongly-versioned message is an error,
 * and msg_end() fails when bytes are left over (as OpenSMTPD's m_end).
 */
#ifndef FAXINTAKE_MSG_H
#define FAXINTAKE_MSG_H

#include <stddef.h>
#include <stdint.h>

/* Bump MSG_VERSION whenever enum msg_type or a message's layout changes. */
#define MSG_VERSION	2
#define MSG_MAX		(128 * 1024)

enum msg_type {
	MSG_HELLO = 1,		/* worker → daemon: ready (u32 pid) */
	MSG_JOB_DECODE,		/* daemon → worker: u64 file id; fd = the file */
	MSG_PAGE,		/* worker → daemon: u64 file id, u32 pageno,
				   u32 width, height, xres, yres, depth,
				   u32 read (0/1); when read: str doc_type,
				   u32 confidence (millionths), str text,
				   str header sender, str qr,
				   u32 cover_total (全N枚, 0 unknown) */
	MSG_DOC,		/* worker → daemon: u64 file id, u32 index,
				   str type, u32 first, last, application,
				   i32 dedicated_form (-1/0/1), str language,
				   u32 confidence, str case id */
	MSG_DOC_FIELD,		/* worker → daemon: u64 file id, u32 doc
				   index, str field, str value, str raw,
				   u32 confidence, u32 page */
	MSG_DONE,		/* worker → daemon: u64 file id, u32 npages,
				   u32 ndocs, str mime, str sender */
	MSG_REJECT,		/* worker → daemon: u64 file id, str mime,
				   str reason_code, str reason */
};

struct msg {
	uint32_t	 type;
	unsigned char	 data[MSG_MAX];
	size_t		 len;	/* bytes in data */
	size_t		 off;	/* read position */
	int		 err;	/* a put or get overran: the message is bad */
	int		 fd;	/* received or to send; -1 when none */
};

void	 msg_init(struct msg *, uint32_t type);
void	 msg_put_u32(struct msg *, uint32_t);
void	 msg_put_u64(struct msg *, uint64_t);
void	 msg_put_str(struct msg *, const char *);	/* NULL sends "" */
uint32_t msg_get_u32(struct msg *);
uint64_t msg_get_u64(struct msg *);
/* Copies at most size-1 bytes and NUL-terminates; an over-long string is
 * an error. */
void	 msg_get_str(struct msg *, char *, size_t size);
/* 0 when everything was read and nothing overran; -EBADMSG otherwise. */
int	 msg_end(struct msg *);

/* Send m (and m->fd when >= 0).  0 or -errno. */
int	 msg_send(int sock, const struct msg *);
/* Receive one message into m; m->fd is the received fd or -1 (the caller
 * closes it).  0, -EPIPE at end of stream, -EBADMSG for a bad header, or
 * -errno. */
int	 msg_recv(int sock, struct msg *);

#endif
