/*
 * cmd_serve — `chainfuse serve`: runs the HTTP API (src/api) until SIGTERM or SIGINT, then
 * stops gracefully and exits 0. Binds 127.0.0.1 by default. Requests act as the logged-in user
 * (cf_session cookie) or, without one, as the anonymous public (see src/api/auth.c).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"

static const char usage[] =
	"usage: chainfuse serve [--db PATH] [--port N] [--host 127.0.0.1] [--threads N] [--max-body BYTES]\n"
	"\n"
	"Serves the REST API and the web page on http://HOST:PORT/ until SIGTERM or Ctrl-C.\n"
	"  --db PATH         database (default $CHAINFUSE_DB, else var/chainfuse.db)\n"
	"  --port N          TCP port (default $CHAINFUSE_PORT, else 8080; 0 picks a free one)\n"
	"  --host ADDR       numeric address to bind (default 127.0.0.1; behind a TLS proxy that\n"
	"                    sets X-Forwarded-Proto: https, session cookies are marked Secure)\n"
	"  --threads N       worker threads, each with its own database handle (default 4)\n"
	"  --max-body BYTES  largest request body accepted (default 1048576); larger gets 413\n";

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	int64_t v;
	if (cli_parse_i64(s, &v) != 0 || v < 0 || (unsigned long long)v > max)
		return -1;
	*out = (unsigned long long)v;
	return 0;
}

static int serve(int argc, char **argv)
{
	const char *db = NULL, *port = getenv("CHAINFUSE_PORT"), *host = "127.0.0.1", *threads = NULL,
		   *max_body = NULL;
	unsigned long long v;
	api_config cfg;
	api_server *srv = NULL;
	sigset_t set;
	cf_err e;
	int i, sig = 0;

	if (cli_help(argc, argv, usage))
		return 0;
	for (i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt(&i, argc, argv, "--db", &db)) || (r = cli_opt(&i, argc, argv, "--port", &port)) ||
		    (r = cli_opt(&i, argc, argv, "--host", &host)) ||
		    (r = cli_opt(&i, argc, argv, "--threads", &threads)) ||
		    (r = cli_opt(&i, argc, argv, "--max-body", &max_body))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_usage("serve", "unknown argument \"%s\"", argv[i]);
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.db_path = cli_db_path(db);
	cfg.host = host;
	cfg.port = 8080;
	if (port && *port) {
		if (parse_uint(port, 65535, &v) != 0)
			return cli_usage("serve", "port must be an integer from 0 to 65535, not \"%s\"", port);
		cfg.port = (unsigned)v;
	}
	if (threads) {
		if (parse_uint(threads, 64, &v) != 0 || v == 0)
			return cli_usage("serve", "--threads must be an integer from 1 to 64, not \"%s\"", threads);
		cfg.threads = (unsigned)v;
	}
	if (max_body) {
		if (parse_uint(max_body, 1ULL << 30, &v) != 0 || v == 0)
			return cli_usage("serve", "--max-body must be a number of bytes from 1 to 1073741824, not \"%s\"",
					 max_body);
		cfg.max_body = (size_t)v;
	}

	/* Workers inherit this mask, so only the main thread's sigwait() sees the signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	cf_err_clear(&e);
	if (api_start(&cfg, &srv, &e) != 0) {
		if (e.code == CF_EIO || e.code == CF_EINVAL) {
			if (e.where[0])
				fprintf(stderr, "chainfuse serve: %s: %s\n", e.where, e.msg);
			else
				fprintf(stderr, "chainfuse serve: %s\n", e.msg);
			return 1;
		}
		return cli_fail("serve", &e);
	}
	printf("chainfuse serving http://%s:%u/ (database %s)\n", strchr(cfg.host, ':') ? "[::1]" : cfg.host,
	       api_port(srv), cfg.db_path);
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "chainfuse serve: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	api_stop(srv);
	return 0;
}

CLI_COMMAND(cmd_serve, "serve", "run the HTTP API and web page (127.0.0.1:8080 by default)", serve)
