/* SPDX-License-Identifier: MIT */
/*
 * toolschema.c - what the tool rows say, written out: the input and output
 * JSON Schemas (tools/list), the parsed input schemas (CLI options), and
 * the Markdown tool reference (docs/TOOLS.md).
 */
#include "tools.h"

#include <pthread.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "jsonparse.h"

#define SCHEMA_2020 "https://json-schema.org/draft/2020-12/schema"

static const char *const arg_types[] = {
	[PM_ARG_INT] = "integer",  [PM_ARG_NUM] = "number",  [PM_ARG_STR] = "string",
	[PM_ARG_BOOL] = "boolean", [PM_ARG_ENUM] = "string", [PM_ARG_STRS] = "array",
};

static const char *const field_types[] = {
	[PM_F_INT] = "integer",  [PM_F_NUM] = "number", [PM_F_STR] = "string",
	[PM_F_BOOL] = "boolean", [PM_F_OBJ] = "object", [PM_F_ARR] = "array",
	[PM_F_MAP] = "object",
};

/* A bound or default of an argument: an integer for INT, else a number. */
static void
arg_number(struct pm_json *w, const struct pm_tool_arg *r, const char *key, double v)
{
	pm_json_key(w, key);
	if (r->type == PM_ARG_INT) {
		pm_json_i64(w, (int64_t)v);
	} else {
		pm_json_dbl(w, v, 9);
	}
}

/* An array of strings, or the comma-separated string older callers send: anyOf the two. */
static void
strs_schema(struct pm_json *w, const struct pm_tool_arg *r)
{
	pm_json_key(w, "anyOf");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "array");
	pm_json_key(w, "items");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "string");
	pm_json_ku64(w, "minLength", r->min_length);
	pm_json_obj_end(w);
	if (r->has_max) {
		pm_json_ku64(w, "maxItems", (uint64_t)r->max);
	}
	pm_json_obj_end(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "string");
	pm_json_ku64(w, "minLength", r->min_length);
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	if (r->description != NULL) {
		pm_json_kstr(w, "description", r->description);
	}
	pm_json_obj_end(w);
}

static void
arg_schema(struct pm_json *w, const struct pm_tool_arg *r)
{
	pm_json_obj_begin(w);
	if (r->type == PM_ARG_STRS) {
		strs_schema(w, r);
		return;
	}
	pm_json_kstr(w, "type", arg_types[r->type]);
	if (r->type == PM_ARG_ENUM) {
		pm_json_key(w, "enum");
		pm_json_arr_begin(w);
		for (size_t i = 0; r->values[i] != NULL; i++) {
			pm_json_str(w, r->values[i]);
		}
		pm_json_arr_end(w);
	}
	if (r->min_length != 0) {
		pm_json_ku64(w, "minLength", r->min_length);
	}
	if (r->has_min) {
		arg_number(w, r, r->exclusive_min ? "exclusiveMinimum" : "minimum", r->min);
	}
	if (r->has_max) {
		arg_number(w, r, "maximum", r->max);
	}
	if (r->has_default) {
		if (r->type == PM_ARG_STR || r->type == PM_ARG_ENUM) {
			pm_json_kstr(w, "default", r->def_str);
		} else if (r->type == PM_ARG_BOOL) {
			pm_json_kbool(w, "default", r->def != 0);
		} else {
			arg_number(w, r, "default", r->def);
		}
	}
	if (r->description != NULL) {
		pm_json_kstr(w, "description", r->description);
	}
	pm_json_obj_end(w);
}

/* Open a top-level schema: a 2020-12 object. */
static void
schema_open(struct pm_json *w)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "$schema", SCHEMA_2020);
	pm_json_kstr(w, "type", "object");
}

/* see tools.h */
void
pm_tool_input_schema(struct pm_json *w, const struct pm_tool *t)
{
	schema_open(w);
	pm_json_key(w, "properties");
	pm_json_obj_begin(w);
	for (size_t i = 0; t->args[i] != NULL; i++) {
		pm_json_key(w, t->args[i]->name);
		arg_schema(w, t->args[i]);
	}
	pm_json_obj_end(w);
	pm_json_key(w, "required");
	pm_json_arr_begin(w);
	for (size_t i = 0; t->args[i] != NULL; i++) {
		if (t->args[i]->required) {
			pm_json_str(w, t->args[i]->name);
		}
	}
	pm_json_arr_end(w);
	pm_json_kbool(w, "additionalProperties", false);
	pm_json_obj_end(w);
}

static void field_schema(struct pm_json *w, const struct pm_field *f);

/*
 * The members of an object schema: properties, required, additionalProperties
 * false. A tool's result (top) also has ok (true) first and generated_at last.
 */
static void
object_body(struct pm_json *w, const struct pm_field *members, bool top)
{
	pm_json_kstr(w, "type", "object");
	pm_json_key(w, "properties");
	pm_json_obj_begin(w);
	if (top) {
		pm_json_key(w, "ok");
		pm_json_obj_begin(w);
		pm_json_kstr(w, "type", "boolean");
		pm_json_kbool(w, "const", true);
		pm_json_obj_end(w);
	}
	for (const struct pm_field *f = members; f != NULL && f->name != NULL; f++) {
		pm_json_key(w, f->name);
		field_schema(w, f);
	}
	if (top) {
		pm_json_key(w, "generated_at");
		pm_json_obj_begin(w);
		pm_json_kstr(w, "type", "string");
		pm_json_kstr(w, "description", "when the result was made, ISO 8601 UTC");
		pm_json_obj_end(w);
	}
	pm_json_obj_end(w);
	pm_json_key(w, "required");
	pm_json_arr_begin(w);
	if (top) {
		pm_json_str(w, "ok");
	}
	for (const struct pm_field *f = members; f != NULL && f->name != NULL; f++) {
		if (!f->optional) {
			pm_json_str(w, f->name);
		}
	}
	if (top) {
		pm_json_str(w, "generated_at");
	}
	pm_json_arr_end(w);
	pm_json_kbool(w, "additionalProperties", false);
}

/* The schema of f's value without null, with desc (NULL: none). */
static void
type_schema(struct pm_json *w, const struct pm_field *f, const char *desc)
{
	pm_json_obj_begin(w);
	if (desc != NULL) {
		pm_json_kstr(w, "description", desc);
	}
	switch (f->type) {
	case PM_F_OBJ:
		object_body(w, f->members, false);
		break;
	case PM_F_ARR:
		pm_json_kstr(w, "type", "array");
		pm_json_key(w, "items");
		field_schema(w, f->item);
		break;
	case PM_F_MAP:
		pm_json_kstr(w, "type", "object");
		pm_json_key(w, "additionalProperties");
		field_schema(w, f->item);
		break;
	default:
		pm_json_kstr(w, "type", field_types[f->type]);
		break;
	}
	pm_json_obj_end(w);
}

/* Nullable members are anyOf [the type, null], never a type array. */
static void
field_schema(struct pm_json *w, const struct pm_field *f)
{
	if (!f->nullable) {
		type_schema(w, f, f->description);
		return;
	}
	pm_json_obj_begin(w);
	if (f->description != NULL) {
		pm_json_kstr(w, "description", f->description);
	}
	pm_json_key(w, "anyOf");
	pm_json_arr_begin(w);
	type_schema(w, f, NULL);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "null");
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	pm_json_obj_end(w);
}

/* The error shape of every tool (DESIGN.md "Error contract"). */
static void
error_schema(struct pm_json *w)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "object");
	pm_json_key(w, "properties");
	pm_json_obj_begin(w);
	pm_json_key(w, "ok");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "boolean");
	pm_json_kbool(w, "const", false);
	pm_json_obj_end(w);
	pm_json_key(w, "error");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "string");
	pm_json_key(w, "enum");
	pm_json_arr_begin(w);
	for (int c = PM_EC_NONE + 1; c < PM_EC_COUNT; c++) {
		pm_json_str(w, pm_ecode_name((enum pm_ecode)c));
	}
	pm_json_arr_end(w);
	pm_json_obj_end(w);
	static const char *const strings[] = { "message", "generated_at" };
	for (size_t i = 0; i < PM_ARRAY_LEN(strings); i++) {
		pm_json_key(w, strings[i]);
		pm_json_obj_begin(w);
		pm_json_kstr(w, "type", "string");
		pm_json_obj_end(w);
	}
	pm_json_key(w, "offset");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "integer");
	pm_json_kstr(w, "description", "capture_damaged: byte offset of the damage");
	pm_json_obj_end(w);
	pm_json_obj_end(w);
	pm_json_key(w, "required");
	pm_json_arr_begin(w);
	pm_json_str(w, "ok");
	pm_json_str(w, "error");
	pm_json_str(w, "message");
	pm_json_str(w, "generated_at");
	pm_json_arr_end(w);
	pm_json_kbool(w, "additionalProperties", false);
	pm_json_obj_end(w);
}

/* see tools.h */
void
pm_tool_output_schema(struct pm_json *w, const struct pm_tool *t)
{
	schema_open(w);
	pm_json_key(w, "anyOf");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	object_body(w, t->result, true);
	pm_json_obj_end(w);
	error_schema(w);
	pm_json_arr_end(w);
	pm_json_obj_end(w);
}

/* Every input schema parsed, once, into an arena that lives as long as the process. */
static struct pm_arena schema_arena;
static const struct pm_jv *schema_parsed[64];
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

static void
schema_parse_all(void)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	pm_arena_init(&schema_arena, 16u << 20);
	for (size_t i = 0; i < n && i < PM_ARRAY_LEN(schema_parsed); i++) {
		struct pm_json w;
		pm_json_init(&w, 0);
		pm_tool_input_schema(&w, &t[i]);
		if (pm_json_finish(&w) != 0 ||
		    pm_json_parse((const uint8_t *)w.buf, w.len, &schema_arena, &schema_parsed[i],
		                  NULL) != 0) {
			schema_parsed[i] = NULL;
		}
		pm_json_free(&w);
	}
}

/* see tools.h */
const struct pm_jv *
pm_tool_input_schema_jv(const struct pm_tool *t)
{
	size_t n;
	const struct pm_tool *all = pm_tools(&n);
	if (t < all || t >= all + n) {
		return NULL;
	}
	pthread_once(&schema_once, schema_parse_all);
	size_t i = (size_t)(t - all);
	return i < PM_ARRAY_LEN(schema_parsed) ? schema_parsed[i] : NULL;
}

/*
 * The Markdown reference.
 */

static void
md_arg(FILE *out, const struct pm_tool_arg *r)
{
	fprintf(out, "| `%s` | %s", r->name,
	        r->type == PM_ARG_STRS ? "array of strings (or one string)" : arg_types[r->type]);
	if (r->type == PM_ARG_ENUM) {
		for (size_t i = 0; r->values[i] != NULL; i++) {
			fprintf(out, "%s`%s`", i == 0 ? ": " : ", ", r->values[i]);
		}
	}
	if (r->has_min || r->has_max) {
		fprintf(out, ", %s", r->has_min && r->exclusive_min ? "> " : "");
		if (r->has_min) {
			fprintf(out, "%g", r->min);
		}
		fprintf(out, "..");
		if (r->has_max) {
			fprintf(out, "%g", r->max);
		}
	}
	fprintf(out, " | %s | ", r->required ? "yes" : "no");
	if (r->has_default && (r->type == PM_ARG_STR || r->type == PM_ARG_ENUM)) {
		fprintf(out, "`%s`", r->def_str);
	} else if (r->has_default) {
		fprintf(out, "%g", r->def);
	}
	fprintf(out, " | %s |\n", r->description != NULL ? r->description : "");
}

static void
md_field(FILE *out, const struct pm_field *f, int depth)
{
	fprintf(out, "%*s- `%s` (%s", depth * 2, "", f->name, field_types[f->type]);
	if (f->type == PM_F_ARR) {
		fprintf(out, " of %s", field_types[f->item->type]);
	} else if (f->type == PM_F_MAP) {
		fprintf(out, " of %s by name", field_types[f->item->type]);
	}
	fprintf(out, "%s%s)", f->nullable ? " or null" : "", f->optional ? ", optional" : "");
	fprintf(out, "%s%s\n", f->description != NULL ? ": " : "",
	        f->description != NULL ? f->description : "");
	const struct pm_field *m = f->type == PM_F_OBJ ? f->members
	                           : f->type == PM_F_ARR && f->item->type == PM_F_OBJ
	                               ? f->item->members
	                               : NULL;
	for (; m != NULL && m->name != NULL; m++) {
		md_field(out, m, depth + 1);
	}
}

/* see tools.h */
int
pm_tools_markdown(FILE *out)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	fprintf(out, "# Tool reference\n\n"
	             "Generated from the tool registry by `pcapmcp tools --markdown`; do not "
	             "edit (a test\nchecks that this file matches the code). Every result is "
	             "`{\"ok\": true, ..., \"generated_at\"}`;\nevery failure is `{\"ok\": false, "
	             "\"error\", \"message\", \"generated_at\"}` (plus `offset` for\n"
	             "`capture_damaged`), with `error` one of:");
	for (int c = PM_EC_NONE + 1; c < PM_EC_COUNT; c++) {
		fprintf(out, "%s`%s`", c == PM_EC_NONE + 1 ? " " : ", ",
		        pm_ecode_name((enum pm_ecode)c));
	}
	fprintf(out, ".\n\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "- [`%s`](#%s) (%s): %s\n", t[i].name, t[i].name,
		        pm_tool_group_name(t[i].group), t[i].title);
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "\n## %s\n\n%s (group %s)\n\n%s\n\n", t[i].name, t[i].title,
		        pm_tool_group_name(t[i].group), t[i].description);
		fprintf(out, "| argument | type | required | default | description |\n"
		             "| --- | --- | --- | --- | --- |\n");
		for (size_t k = 0; t[i].args[k] != NULL; k++) {
			md_arg(out, t[i].args[k]);
		}
		fprintf(out, "\nResult members (besides `ok` and `generated_at`):\n\n");
		for (const struct pm_field *f = t[i].result; f->name != NULL; f++) {
			md_field(out, f, 0);
		}
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : PM_E_IO;
}
