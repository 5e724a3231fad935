/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/cmdline.c: one-line editor with history and Tab completion. */
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "text/text.h"
#include "widgets/cmdline.h"

struct cmdline_cands {
	char **v;
	size_t n, cap;
	const char *prefix;
	size_t plen;
};

struct cmdline {
	char *prompt;
	char buf[CMDLINE_MAX];
	size_t len, cur;
	bool active, dirty;
	char **hist;
	size_t nhist, hist_max, hist_pos;
	char saved[CMDLINE_MAX]; /* the line being edited while browsing */
	cmdline_complete_fn complete;
	void *complete_ctx;
	cmdline_change_fn change;
	void *change_ctx;
	cmdline_cands cands;
	bool cycling;
	bool spaced;     /* the last Tab completed a word and added a space */
	size_t cycle_idx, word_start;
	int cur_y, cur_x;
};

static void cands_clear(cmdline_cands *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	c->n = 0;
}

void cmdline_add_candidate(cmdline_cands *c, const char *word)
{
	if (!c || !word || strncmp(word, c->prefix, c->plen) != 0)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], word) == 0)
			return;
	if (vec_grow(&c->v, &c->cap, c->n, 1, sizeof *c->v) != 0)
		return;
	char *copy = strdup(word);
	if (copy)
		c->v[c->n++] = copy;
}

cmdline *cmdline_new(const char *prompt, size_t hist_max)
{
	cmdline *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->prompt = strdup(prompt ? prompt : "");
	if (!c->prompt) {
		free(c);
		return NULL;
	}
	c->hist_max = hist_max;
	if (hist_max) {
		c->hist = calloc(hist_max, sizeof *c->hist);
		if (!c->hist) {
			free(c->prompt);
			free(c);
			return NULL;
		}
	}
	return c;
}

void cmdline_free(cmdline *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nhist; i++)
		free(c->hist[i]);
	free(c->hist);
	cands_clear(&c->cands);
	free(c->cands.v);
	free(c->prompt);
	free(c);
}

void cmdline_set_complete(cmdline *c, cmdline_complete_fn fn, void *ctx)
{
	c->complete = fn;
	c->complete_ctx = ctx;
}

void cmdline_set_on_change(cmdline *c, cmdline_change_fn fn, void *ctx)
{
	c->change = fn;
	c->change_ctx = ctx;
}

static void set_text(cmdline *c, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n >= sizeof c->buf)
		n = sizeof c->buf - 1;
	/* never keep half a character */
	while (n > 0 && s && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	if (n)
		memcpy(c->buf, s, n);
	c->buf[n] = '\0';
	c->len = c->cur = n;
	c->dirty = true;
}

void cmdline_open(cmdline *c, const char *initial)
{
	set_text(c, initial);
	c->active = true;
	c->hist_pos = c->nhist;
	c->cycling = false;
	c->spaced = false;
	cands_clear(&c->cands);
}

void cmdline_close(cmdline *c)
{
	c->active = false;
	c->dirty = true;
}

bool cmdline_active(const cmdline *c)
{
	return c->active;
}

const char *cmdline_text(const cmdline *c)
{
	return c->buf;
}

size_t cmdline_cursor_byte(const cmdline *c)
{
	return c->cur;
}

size_t cmdline_ncandidates(const cmdline *c)
{
	return c->cands.n;
}

const char *cmdline_candidate(const cmdline *c, size_t i)
{
	return i < c->cands.n ? c->cands.v[i] : NULL;
}

size_t cmdline_history_count(const cmdline *c)
{
	return c->nhist;
}

const char *cmdline_history_get(const cmdline *c, size_t i)
{
	return i < c->nhist ? c->hist[i] : NULL;
}

void cmdline_history_add(cmdline *c, const char *line)
{
	if (!c->hist_max || !line || !*line)
		return;
	if (c->nhist && strcmp(c->hist[c->nhist - 1], line) == 0)
		return;
	char *copy = strdup(line);
	if (!copy)
		return;
	if (c->nhist == c->hist_max) {
		free(c->hist[0]);
		memmove(c->hist, c->hist + 1, (c->nhist - 1) * sizeof *c->hist);
		c->nhist--;
	}
	c->hist[c->nhist++] = copy;
}

/* ---- editing ---- */

static size_t prev_char(const cmdline *c, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)c->buf[i] & 0xc0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const cmdline *c, size_t i)
{
	if (i >= c->len)
		return c->len;
	i++;
	while (i < c->len && ((unsigned char)c->buf[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static void delete_range(cmdline *c, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(c->buf + from, c->buf + to, c->len - to + 1);
	c->len -= to - from;
	if (c->cur > to)
		c->cur -= to - from;
	else if (c->cur > from)
		c->cur = from;
}

static bool insert_bytes(cmdline *c, const char *s, size_t n)
{
	if (c->len + n >= sizeof c->buf)
		return false;
	memmove(c->buf + c->cur + n, c->buf + c->cur, c->len - c->cur + 1);
	memcpy(c->buf + c->cur, s, n);
	c->len += n;
	c->cur += n;
	return true;
}

static size_t utf8_encode(wint_t ch, char out[4])
{
	unsigned v = (unsigned)ch;
	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		out[0] = (char)(0xc0 | (v >> 6));
		out[1] = (char)(0x80 | (v & 0x3f));
		return 2;
	}
	if (v < 0x10000) {
		out[0] = (char)(0xe0 | (v >> 12));
		out[1] = (char)(0x80 | ((v >> 6) & 0x3f));
		out[2] = (char)(0x80 | (v & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (v >> 18));
	out[1] = (char)(0x80 | ((v >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((v >> 6) & 0x3f));
	out[3] = (char)(0x80 | (v & 0x3f));
	return 4;
}

static void history_move(cmdline *c, int dir)
{
	if (dir < 0) {
		if (c->hist_pos == 0)
			return;
		if (c->hist_pos == c->nhist)
			memcpy(c->saved, c->buf, c->len + 1);
		c->hist_pos--;
		set_text(c, c->hist[c->hist_pos]);
	} else {
		if (c->hist_pos >= c->nhist)
			return;
		c->hist_pos++;
		set_text(c, c->hist_pos == c->nhist ? c->saved
						    : c->hist[c->hist_pos]);
	}
}

static void replace_word(cmdline *c, const char *s, bool add_space)
{
	delete_range(c, c->word_start, c->cur);
	c->cur = c->word_start;
	insert_bytes(c, s, strlen(s));
	if (add_space && (c->cur == c->len || c->buf[c->cur] != ' ')) {
		insert_bytes(c, " ", 1);
		c->spaced = true;
	}
}

static void complete(cmdline *c)
{
	if (!c->complete)
		return;
	if (c->cycling && c->cands.n > 1) {
		c->cycle_idx = (c->cycle_idx + 1) % c->cands.n;
		replace_word(c, c->cands.v[c->cycle_idx], false);
		return;
	}
	size_t ws = c->cur;
	while (ws > 0 && c->buf[ws - 1] != ' ')
		ws--;
	c->word_start = ws;
	char prefix[CMDLINE_MAX];
	memcpy(prefix, c->buf + ws, c->cur - ws);
	prefix[c->cur - ws] = '\0';
	cands_clear(&c->cands);
	c->cands.prefix = prefix;
	c->cands.plen = c->cur - ws;
	c->complete(c->complete_ctx, c->buf, ws, &c->cands);
	c->cands.prefix = "";
	c->cands.plen = 0;
	if (c->cands.n == 0)
		return;
	if (c->cands.n == 1) {
		replace_word(c, c->cands.v[0], true);
		return;
	}
	/* the candidates' common prefix, cut at a character boundary */
	size_t common = strlen(c->cands.v[0]);
	for (size_t i = 1; i < c->cands.n; i++) {
		size_t k = 0;
		while (k < common && c->cands.v[i][k] == c->cands.v[0][k])
			k++;
		common = k;
	}
	while (common > 0 &&
	       ((unsigned char)c->cands.v[0][common] & 0xc0) == 0x80)
		common--;
	if (common > strlen(prefix)) {
		char cp[CMDLINE_MAX];
		memcpy(cp, c->cands.v[0], common);
		cp[common] = '\0';
		replace_word(c, cp, false);
		return;
	}
	c->cycling = true;
	c->cycle_idx = 0;
	replace_word(c, c->cands.v[0], false);
}

cmdline_result cmdline_feed(cmdline *c, wint_t ch, bool is_key_code)
{
	if (!c->active)
		return CMDLINE_IGNORED;
	char before[CMDLINE_MAX];
	memcpy(before, c->buf, c->len + 1);
	size_t before_cur = c->cur;
	bool tab = !is_key_code && ch == '\t';
	if (!tab)
		c->cycling = false;
	/* the space a completion added stands for the one typed next */
	bool spaced = c->spaced;
	c->spaced = false;
	if (spaced && !is_key_code && ch == ' ' && c->cur > 0 &&
	    c->buf[c->cur - 1] == ' ')
		return CMDLINE_EDITING;

	enum { NONE, LEFT, RIGHT, HOME, END, BS, DEL, UP, DOWN, ENTER, CANCEL,
	       KILL_START, KILL_END, KILL_WORD, TAB, INSERT, UNUSED } op = UNUSED;
	if (is_key_code) {
		switch (ch) {
		case KEY_LEFT: op = LEFT; break;
		case KEY_RIGHT: op = RIGHT; break;
		case KEY_HOME: op = HOME; break;
		case KEY_END: op = END; break;
		case KEY_BACKSPACE: op = BS; break;
		case KEY_DC: op = DEL; break;
		case KEY_UP: op = UP; break;
		case KEY_DOWN: op = DOWN; break;
		case KEY_ENTER: op = ENTER; break;
		default: op = UNUSED; break;
		}
	} else {
		switch (ch) {
		case 1: op = HOME; break;          /* C-a */
		case 2: op = LEFT; break;          /* C-b */
		case 4: op = DEL; break;           /* C-d */
		case 5: op = END; break;           /* C-e */
		case 6: op = RIGHT; break;         /* C-f */
		case 7: case 27: op = CANCEL; break; /* C-g, Esc */
		case 8: case 127: op = BS; break;
		case '\t': op = TAB; break;
		case '\n': case '\r': op = ENTER; break;
		case 11: op = KILL_END; break;     /* C-k */
		case 14: op = DOWN; break;         /* C-n */
		case 16: op = UP; break;           /* C-p */
		case 21: op = KILL_START; break;   /* C-u */
		case 23: op = KILL_WORD; break;    /* C-w */
		default:
			if (ch >= 0x20 && ch != 0x7f &&
			    !(ch >= 0x80 && ch < 0xa0) && ch <= 0x10ffff &&
			    !(ch >= 0xd800 && ch <= 0xdfff))
				op = INSERT;
			else
				op = NONE; /* other control keys: swallowed */
			break;
		}
	}

	switch (op) {
	case UNUSED:
		return CMDLINE_IGNORED;
	case NONE: break;
	case LEFT: c->cur = prev_char(c, c->cur); break;
	case RIGHT: c->cur = next_char(c, c->cur); break;
	case HOME: c->cur = 0; break;
	case END: c->cur = c->len; break;
	case BS: delete_range(c, prev_char(c, c->cur), c->cur); break;
	case DEL: delete_range(c, c->cur, next_char(c, c->cur)); break;
	case UP: history_move(c, -1); break;
	case DOWN: history_move(c, 1); break;
	case KILL_START: delete_range(c, 0, c->cur); break;
	case KILL_END: delete_range(c, c->cur, c->len); break;
	case KILL_WORD: {
		size_t i = c->cur;
		while (i > 0 && c->buf[i - 1] == ' ')
			i--;
		while (i > 0 && c->buf[i - 1] != ' ')
			i--;
		delete_range(c, i, c->cur);
		break;
	}
	case TAB: complete(c); break;
	case INSERT: {
		char b[4];
		size_t n = utf8_encode(ch, b);
		insert_bytes(c, b, n);
		break;
	}
	case ENTER:
		cmdline_history_add(c, c->buf);
		c->active = false;
		c->dirty = true;
		return CMDLINE_ACCEPTED;
	case CANCEL:
		c->active = false;
		c->dirty = true;
		return CMDLINE_CANCELLED;
	}
	bool changed = strcmp(before, c->buf) != 0;
	if (changed || before_cur != c->cur)
		c->dirty = true;
	if (changed && c->change)
		c->change(c->change_ctx, c->buf);
	return CMDLINE_EDITING;
}

/* ---- drawing ---- */

static int width_of(const char *s, size_t n)
{
	char tmp[CMDLINE_MAX];
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return text_width(tmp);
}

bool cmdline_dirty(const cmdline *c)
{
	return c->dirty;
}

void cmdline_draw(cmdline *c, WINDOW *win, int y, int x, int w)
{
	c->dirty = false;
	if (w <= 0)
		return;
	int pw = text_width(c->prompt);
	if (pw > w / 2)
		pw = w / 2;
	widget_put(win, y, x, pw, c->prompt, 0, ROLE_NORMAL);
	int avail = w - pw;
	/* scroll so that the cursor stays visible, one column to spare */
	size_t start = 0;
	while (start < c->cur &&
	       width_of(c->buf + start, c->cur - start) > avail - 1)
		start = next_char(c, start);
	int cw = width_of(c->buf + start, c->cur - start);
	widget_put(win, y, x + pw, avail, c->buf + start, 0, ROLE_NORMAL);
	c->cur_y = y;
	c->cur_x = x + pw + (cw < avail ? cw : avail - 1);
}

void cmdline_cursor(const cmdline *c, int *y, int *x)
{
	if (y)
		*y = c->cur_y;
	if (x)
		*x = c->cur_x;
}
