// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvmtest.c: the harness behind uvmtest.h.
 */
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmtest.h"

static int report_fd = -1;

static void report(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (report_fd >= 0 && n > 0) {
		if (n >= (int)sizeof(buf))
			n = sizeof(buf) - 1;
		if (write(report_fd, buf, n) < 0)
			_exit(3);
	}
}

void uvmtest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char where[128];

	snprintf(where, sizeof(where), "%s:%d: ", file, line);
	if (report_fd >= 0 && write(report_fd, where, strlen(where)) < 0)
		_exit(3);
	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
	_exit(1);
}

void uvmtest_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
	_exit(77);
}

long uvmtest_read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int uvmtest_path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void sanitize(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

static int run_case(const char *prog, const struct uvmtest_case *c)
{
	unsigned int timeout = c->timeout ? c->timeout : 60;
	char msg[512] = "";
	int pfd[2], status, n, len = 0;
	pid_t pid;

	if (pipe(pfd) < 0) {
		perror("pipe");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		close(pfd[0]);
		report_fd = pfd[1];
		/* The child's own children inherit the timeout via the group. */
		setpgid(0, 0);
		alarm(timeout);
		c->fn();
		_exit(0);
	}
	close(pfd[1]);
	while (len < (int)sizeof(msg) - 1 &&
	       (n = read(pfd[0], msg + len, sizeof(msg) - 1 - len)) > 0)
		len += n;
	msg[len] = '\0';
	close(pfd[0]);
	waitpid(pid, &status, 0);
	kill(-pid, SIGKILL);	/* reap anything the case left behind */
	sanitize(msg);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("@@UVM result %s.%s PASS\n", prog, c->name);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		printf("@@UVM result %s.%s SKIP %s\n", prog, c->name, msg);
		return 0;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(msg, sizeof(msg), "timed out after %u s", timeout);
	else if (WIFSIGNALED(status))
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
			 "%skilled by signal %d (%s)", len ? "; " : "",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	printf("@@UVM result %s.%s FAIL %s\n", prog, c->name, msg);
	return 1;
}

/*
 * uvmtest_main: run every case whose name matches the glob in argv[1]
 * (default: all). Exit status 0 if none failed.
 */
int uvmtest_main(const char *prog, const struct uvmtest_case *cases,
		 int argc, char **argv)
{
	const char *glob = argc > 1 ? argv[1] : "*";
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; cases->name; cases++)
		if (fnmatch(glob, cases->name, 0) == 0)
			failed += run_case(prog, cases);
	return failed ? 1 : 0;
}
