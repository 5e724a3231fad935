/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/keybinds.c: keys: in payops.yaml, a mapping of KEY: COMMAND (or
 * MODE: {KEY: COMMAND}); each key and command name checked, a key bound
 * twice in one table refused. */
#include <stdlib.h>
#include <string.h>

#include "config/load_int.h"
#include "base/i18n.h"

static bool good_key_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool good_action(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

/* One key table: KEY: COMMAND entries, for mode (NULL: the normal one). */
static void keys_table(loader *L, const cfg_node *v, const char *mode)
{
	cfg_config *c = L->c;
	char kn[72], vs[72];
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const cfg_node *key = v->kids[i], *act = v->kids[i + 1];
		if (key->bad || act->bad)
			continue;
		/* MODE: {KEY: COMMAND, ...}: the key table of a mode */
		if (!mode && act->kind == CFG_MAP && key->kind == CFG_SCALAR &&
		    !cfg_node_is_null(key) && good_action(key->text)) {
			keys_table(L, act, key->text);
			continue;
		}
		if (key->kind != CFG_SCALAR || cfg_node_is_null(key) ||
		    !good_key_name(key->text)) {
			cfg_err_at(&L->r, AT(key),
				   _("expected a key name such as 'j', 'C-l' "
				   "or 'F5'%s"), mode ? "" : _(", or a mode name "
				   "with its own mapping"));
			continue;
		}
		cfg_show(key->text, kn, sizeof kn);
		const cfg_node *first = NULL;
		for (size_t j = 0; j < i && !first; j += 2)
			if (v->kids[j]->kind == CFG_SCALAR &&
			    !strcmp(v->kids[j]->text, key->text))
				first = v->kids[j];
		if (first) {
			cfg_err_at(&L->r, AT(key),
				   _("key '%s' is bound twice (first at %d:%d)"),
				   kn, AT(first));
			continue;
		}
		if (act->kind != CFG_SCALAR || cfg_node_is_null(act)) {
			cfg_err_at(&L->r, AT(act->kind == CFG_SCALAR ? key : act),
				   _("key '%s' needs a command name"), kn);
			continue;
		}
		if (!good_action(act->text)) {
			cfg_err_at(&L->r, AT(act),
				   _("'%s' is not a command name (lower-case "
				   "letters, digits, '_' and '-')"),
				   cfg_show(act->text, vs, sizeof vs));
			continue;
		}
		if (c->n_keys == CFG_MAX_KEYBINDS) {
			cfg_err_at(&L->r, AT(key),
				   _("too many key bindings (at most %d)"),
				   CFG_MAX_KEYBINDS);
			return;
		}
		cfg_keybind *b = &c->keys[c->n_keys];
		b->key = strdup(key->text);
		b->action = strdup(act->text);
		b->mode = mode ? strdup(mode) : NULL;
		if (!b->key || !b->action || (mode && !b->mode)) {
			free(b->key);
			free(b->action);
			free(b->mode);
			b->key = b->action = b->mode = NULL;
			continue;
		}
		b->line = key->line;
		b->col = key->col;
		c->n_keys++;
	}
}

void cfg_k_keys(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (cfg_want_map(L, k, v,
			 _("a mapping of KEY: COMMAND (or MODE: {KEY: COMMAND})")))
		keys_table(L, v, NULL);
}
