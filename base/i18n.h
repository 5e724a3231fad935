/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/i18n.h: the one way a string a person reads is translated.
 *
 * _("text") at the place of use; N_("text") marks a string in a static
 * table that is translated where it is shown (_(table[i].label)). Ids,
 * codes and enum values the platform sends are never translated: tickets
 * and other systems quote them as they are. Catalogues live in po/. */
#ifndef PAYOPS_BASE_I18N_H
#define PAYOPS_BASE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) s

/* The locale from the environment (LANG, LC_ALL, LC_MESSAGES) and the
 * catalogue: $PAYOPS_LOCALEDIR, else po/locale beside the running binary
 * (a build tree), else the installed localedir. Call once, first thing. */
void i18n_init(void);

#endif
