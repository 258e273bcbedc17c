/* SPDX-License-Identifier: MIT */
/* main.c - argv to the command line; nothing else. */
#include "cli.h"

int
main(int argc, char **argv)
{
	return pm_cli_main(argc, argv);
}
