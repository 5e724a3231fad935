/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/prng.h - the simulator's own deterministic random numbers
 * (xoshiro256** seeded through splitmix64), so one seed gives one world on
 * every libc. */
#ifndef SIM_PRNG_H
#define SIM_PRNG_H
#include <stdint.h>

typedef struct sim_rng { uint64_t s[4]; } sim_rng;

void sim_rng_seed(sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(sim_rng *r);
double sim_rng_unit(sim_rng *r);                  /* [0,1) */
uint32_t sim_rng_below(sim_rng *r, uint32_t n);   /* [0,n), 0 when n==0 */
double sim_rng_range(sim_rng *r, double lo, double hi);
double sim_rng_gauss(sim_rng *r);                 /* N(0,1) */
int sim_rng_chance(sim_rng *r, double p);

#endif
