/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the command line: verbs, human-readable tables, --json, exit codes.
 *
 * Every capture verb is a call of registry tools (tools.h) through
 * pm_tools_call, with `--name value` options as the tools' arguments; the
 * tables are print hooks over the results (cli_print.h).
 *
 * Exit codes: 0 success (warnings such as a damaged capture included),
 * 1 internal failure (out of memory, output too large), 2 usage error or a
 * file that cannot be read as a capture.
 */
#ifndef PM_CLI_H
#define PM_CLI_H

#define PM_EXIT_OK    0
#define PM_EXIT_FAIL  1
#define PM_EXIT_USAGE 2

/* Run the verb in argv[1] with its arguments; returns the process exit code. */
int pm_cli_main(int argc, char **argv);

#endif /* PM_CLI_H */
