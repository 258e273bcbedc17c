/* SPDX-License-Identifier: MIT */
/*
 * prompts.h - the MCP prompts: investigation recipes that tell a model which
 * tools to call on a capture, in what order and what to look for.
 *
 * Each prompt is a list of steps naming registry tools. The server renders
 * only the steps whose tool exists and is enabled, so a prompt never names a
 * tool the model cannot call. Static data only; nothing here does I/O.
 */
#ifndef PM_PROMPTS_H
#define PM_PROMPTS_H

#include <stddef.h>

struct pm_prompt_step {
	const char *tool; /* registry tool name */
	const char *why;  /* what to call it for and what to look for */
};

struct pm_prompt {
	const char *name;                   /* MCP prompt name */
	const char *title;                  /* short human title */
	const char *description;            /* for prompts/list and prompts/get */
	const char *intro;                  /* first sentence of the message */
	const char *outro;                  /* closing instruction: what to report */
	const struct pm_prompt_step *steps; /* in calling order; static */
	size_t nsteps;                      /* entries in steps */
};

/* The prompts, n of them, in a fixed order. */
const struct pm_prompt *pm_prompts(size_t *n);

/* The prompt called name, or NULL. */
const struct pm_prompt *pm_prompt_find(const char *name);

#endif /* PM_PROMPTS_H */
