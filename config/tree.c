/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/tree.c: libyaml events -> a small tree whose every node knows its
 * line and column. Anchors and aliases are refused outright, so no document
 * can expand (billion laughs); tags are ignored; size and depth are capped. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/config_int.h"
#include "base/i18n.h"

typedef struct {
	cfg_report *r;
	cfg_node *root;
	cfg_node *stack[CFG_MAX_DEPTH];
	size_t depth;
	size_t nodes;
	bool stop;
} builder;

void cfg_tree_free(cfg_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		cfg_tree_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

bool cfg_node_is_null(const cfg_node *n)
{
	if (!n)
		return true;
	if (n->kind != CFG_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->text, "~") == 0 ||
	       strcmp(n->text, "null") == 0 || strcmp(n->text, "Null") == 0 ||
	       strcmp(n->text, "NULL") == 0;
}

static cfg_node *new_node(builder *b, enum cfg_node_kind kind, yaml_mark_t m)
{
	if (b->nodes >= CFG_MAX_NODES) {
		cfg_err_at(b->r, (int)m.line + 1, (int)m.column + 1,
			   _("too many YAML nodes (more than %d): this does not "
			   "look like a payops configuration"),
			   CFG_MAX_NODES);
		b->stop = true;
		return NULL;
	}
	cfg_node *n = calloc(1, sizeof *n);
	if (!n) {
		cfg_err_at(b->r, (int)m.line + 1, (int)m.column + 1,
			   _("out of memory"));
		b->stop = true;
		return NULL;
	}
	b->nodes++;
	n->kind = kind;
	n->line = (int)m.line + 1;
	n->col = (int)m.column + 1;
	return n;
}

/* Hang n under the open collection (or make it the root). */
static bool attach(builder *b, cfg_node *n)
{
	if (b->depth == 0) {
		if (b->root) { /* cannot happen with one document; be safe */
			cfg_tree_free(n);
			return false;
		}
		b->root = n;
		return true;
	}
	cfg_node *p = b->stack[b->depth - 1];
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		cfg_node **k = realloc(p->kids, cap * sizeof *k);
		if (!k) {
			cfg_tree_free(n);
			b->stop = true;
			return false;
		}
		p->kids = k;
		p->cap = cap;
	}
	p->kids[p->n++] = n;
	return true;
}

static void refuse_anchor(builder *b, const yaml_char_t *anchor,
			  yaml_mark_t m)
{
	char shown[72];
	if (!anchor)
		return;
	cfg_err_at(b->r, (int)m.line + 1, (int)m.column + 1,
		   _("anchors ('&%s') are not supported: write the value out"),
		   cfg_show((const char *)anchor, shown, sizeof shown));
}

static void on_scalar(builder *b, const yaml_event_t *ev)
{
	refuse_anchor(b, ev->data.scalar.anchor, ev->start_mark);
	cfg_node *n = new_node(b, CFG_SCALAR, ev->start_mark);
	if (!n)
		return;
	size_t len = ev->data.scalar.length;
	n->text = malloc(len + 1);
	if (!n->text) {
		cfg_tree_free(n);
		b->stop = true;
		return;
	}
	memcpy(n->text, ev->data.scalar.value, len);
	n->text[len] = '\0';
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (memchr(n->text, '\0', len)) {
		cfg_err_at(b->r, n->line, n->col,
			   _("NUL character in a value"));
		n->bad = true;
	}
	attach(b, n);
}

static void on_start(builder *b, enum cfg_node_kind kind,
		     const yaml_char_t *anchor, yaml_mark_t m)
{
	refuse_anchor(b, anchor, m);
	if (b->depth == CFG_MAX_DEPTH) {
		cfg_err_at(b->r, (int)m.line + 1, (int)m.column + 1,
			   _("nested more than %d levels deep"), CFG_MAX_DEPTH);
		b->stop = true;
		return;
	}
	cfg_node *n = new_node(b, kind, m);
	if (!n)
		return;
	if (!attach(b, n))
		return;
	b->stack[b->depth++] = n;
}

static void on_alias(builder *b, const yaml_event_t *ev)
{
	char shown[72];
	cfg_err_at(b->r, (int)ev->start_mark.line + 1,
		   (int)ev->start_mark.column + 1,
		   _("aliases ('*%s') are not supported: write the value out"),
		   cfg_show((const char *)ev->data.alias.anchor, shown,
			    sizeof shown));
	cfg_node *n = new_node(b, CFG_SCALAR, ev->start_mark);
	if (!n)
		return;
	n->text = strdup("");
	n->bad = true;
	if (!n->text) {
		cfg_tree_free(n);
		b->stop = true;
		return;
	}
	attach(b, n);
}

/* Line and column of a byte offset, for reader errors (bad UTF-8) that
 * carry no mark. */
static void offset_pos(const char *buf, size_t len, size_t off, int *line,
		       int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static void syntax_error(builder *b, yaml_parser_t *p, const char *buf,
			 size_t len)
{
	int line, col;
	const char *problem = p->problem ? p->problem : _("unreadable YAML");
	if (p->error == YAML_READER_ERROR) {
		offset_pos(buf, len, p->problem_offset, &line, &col);
		cfg_err_at(b->r, line, col, _("%s (the file must be UTF-8 text)"),
			   problem);
		return;
	}
	if (p->error == YAML_MEMORY_ERROR) {
		cfg_err_plain(b->r, _("out of memory while reading YAML"));
		return;
	}
	line = (int)p->problem_mark.line + 1;
	col = (int)p->problem_mark.column + 1;
	if (p->context)
		cfg_err_at(b->r, line, col, _("YAML syntax error: %s (%s at %d:%d)"),
			   problem, p->context, (int)p->context_mark.line + 1,
			   (int)p->context_mark.column + 1);
	else
		cfg_err_at(b->r, line, col, _("YAML syntax error: %s"), problem);
}

cfg_node *cfg_tree_parse(cfg_report *r, const char *buf, size_t len,
			 bool *syntax_err)
{
	builder b = { .r = r };
	yaml_parser_t p;
	int docs = 0;
	*syntax_err = false;
	if (!yaml_parser_initialize(&p)) {
		cfg_err_plain(r, _("out of memory"));
		*syntax_err = true;
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!b.stop) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			syntax_error(&b, &p, buf, len);
			*syntax_err = true;
			break;
		}
		bool done = false;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				cfg_err_at(r, (int)ev.start_mark.line + 1,
					   (int)ev.start_mark.column + 1,
					   _("a second YAML document: the "
					   "configuration is one document"));
				done = true;
			}
			break;
		case YAML_SCALAR_EVENT:
			on_scalar(&b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			on_start(&b, CFG_SEQ, ev.data.sequence_start.anchor,
				 ev.start_mark);
			break;
		case YAML_MAPPING_START_EVENT:
			on_start(&b, CFG_MAP, ev.data.mapping_start.anchor,
				 ev.start_mark);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (b.depth > 0)
				b.depth--;
			break;
		case YAML_ALIAS_EVENT:
			on_alias(&b, &ev);
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (done)
			break;
	}
	yaml_parser_delete(&p);
	if (*syntax_err || b.stop) {
		/* a half-built tree would only add misleading errors */
		*syntax_err = true;
		cfg_tree_free(b.root);
		return NULL;
	}
	return b.root;
}
