# SPDX-License-Identifier: ISC (see COPYING)
# tests/sim: build fragment (included from the top Makefile.am)
# Unit tests of the simulator, linked against the same library as payops-sim.
check_PROGRAMS += tests/sim/test_sim
TESTS += tests/sim/test_sim
tests_sim_test_sim_CFLAGS = $(COMMON_CFLAGS) $(MHD_CFLAGS) $(JANSSON_CFLAGS) $(CMOCKA_CFLAGS) -pthread
tests_sim_test_sim_LDADD = sim/libsim.a $(MHD_LIBS) $(JANSSON_LIBS) $(CMOCKA_LIBS) -lm
tests_sim_test_sim_LDFLAGS = $(AM_LDFLAGS) -pthread
