/* config/keybinds.c: keys: in payops.yaml, a mapping of KEY: ACTION; each
 * key name and action name checked, a key bound twice refused. */
#include <stdlib.h>
#include <string.h>

#include "config/load_int.h"

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

void cfg_k_keys(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (!cfg_want_map(L, k, v, "a mapping of KEY: ACTION"))
		return;
	cfg_config *c = L->c;
	char kn[72], vs[72];
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const cfg_node *key = v->kids[i], *act = v->kids[i + 1];
		if (key->bad || act->bad)
			continue;
		if (key->kind != CFG_SCALAR || cfg_node_is_null(key) ||
		    !good_key_name(key->text)) {
			cfg_err_at(&L->r, AT(key),
				   "expected a key name such as 'j', 'C-l' "
				   "or 'F5'");
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
				   "key '%s' is bound twice (first at %d:%d)",
				   kn, AT(first));
			continue;
		}
		if (act->kind != CFG_SCALAR || cfg_node_is_null(act)) {
			cfg_err_at(&L->r, AT(act->kind == CFG_SCALAR ? key : act),
				   "key '%s' needs an action name", kn);
			continue;
		}
		if (!good_action(act->text)) {
			cfg_err_at(&L->r, AT(act),
				   "'%s' is not an action name (lower-case "
				   "letters, digits, '_' and '-')",
				   cfg_show(act->text, vs, sizeof vs));
			continue;
		}
		if (c->n_keys == CFG_MAX_KEYBINDS) {
			cfg_err_at(&L->r, AT(key),
				   "too many key bindings (at most %d)",
				   CFG_MAX_KEYBINDS);
			return;
		}
		cfg_keybind *b = &c->keys[c->n_keys];
		b->key = strdup(key->text);
		b->action = strdup(act->text);
		if (!b->key || !b->action) {
			free(b->key);
			free(b->action);
			b->key = b->action = NULL;
			continue;
		}
		b->line = key->line;
		b->col = key->col;
		c->n_keys++;
	}
}
