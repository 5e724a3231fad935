/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/names.h - demo data tables (banks, merchants, regions) the world is built from */
#ifndef SIM_NAMES_H
#define SIM_NAMES_H
#include <stddef.h>

struct sim_bank { const char *code, *name, *city; };
struct sim_region { const char *name; unsigned code; };
struct sim_kind { const char *category, *mcc; int prefixed; const char *const *nouns; size_t nnouns; };
struct sim_errcode { const char *code, *message; };

extern const struct sim_bank sim_banks[];
extern const size_t sim_nbanks;
extern const struct sim_region sim_regions[];
extern const size_t sim_nregions;
extern const struct sim_kind sim_kinds[];
extern const size_t sim_nkinds;
extern const char *const sim_shop_prefixes[];
extern const size_t sim_nshop_prefixes;
extern const struct sim_errcode sim_errcodes[];
extern const size_t sim_nerrcodes;
extern const char *const sim_check_names[];
extern const size_t sim_ncheck_names;
const char *sim_check_detail(int check, int result);
extern const char *const sim_operators[];
extern const size_t sim_noperators;
const char *sim_operator_display(const char *operator_id);

#endif
