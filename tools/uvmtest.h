/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvmtest.h: the small test harness of uvmmod's userspace tests.
 *
 * Each case runs in a child process of its own, under a timeout, so that a
 * crash or hang fails that case only. Results go to stdout, one line per case:
 *
 *   @@UVM result <program>.<case> PASS|FAIL|SKIP [detail]
 *
 * which the guest runner sends to the host over the results serial port.
 */
#ifndef UVMTEST_H
#define UVMTEST_H

#include <errno.h>
#include <string.h>

struct uvmtest_case {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;	/* seconds; 0 = default (60) */
};

#define UVMTEST_CASE(f)		{ #f, f, 0 }
#define UVMTEST_CASE_T(f, t)	{ #f, f, t }

int uvmtest_main(const char *prog, const struct uvmtest_case *cases,
		 int argc, char **argv);

__attribute__((noreturn, format(printf, 3, 4)))
void uvmtest_fail(const char *file, int line, const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2)))
void uvmtest_skip(const char *fmt, ...);

#define CHECK(cond, fmt, ...)						\
	do {								\
		if (!(cond))						\
			uvmtest_fail(__FILE__, __LINE__, "%s: " fmt,	\
				     #cond, ##__VA_ARGS__);		\
	} while (0)

/* CHECK_ERR(call, e): the call must return -1 with errno e. */
#define CHECK_ERR(call, e)						\
	do {								\
		long _r = (long)(call);					\
		int _e = errno;						\
		if (_r != -1 || _e != (e))				\
			uvmtest_fail(__FILE__, __LINE__,		\
				     "%s: want -1/%s, got %ld/%s",	\
				     #call, strerror(e), _r,		\
				     _r == -1 ? strerror(_e) : "-");	\
	} while (0)

/* CHECK_OK(call): the call must not return -1. */
#define CHECK_OK(call)							\
	do {								\
		if ((long)(call) == -1)					\
			uvmtest_fail(__FILE__, __LINE__, "%s: %s",	\
				     #call, strerror(errno));		\
	} while (0)

/* helpers */
long uvmtest_read_long(const char *path);	/* -1 if absent */
int uvmtest_path_exists(const char *path);

#endif /* UVMTEST_H */
