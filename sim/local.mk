# SPDX-License-Identifier: ISC (see COPYING)
# sim: build fragment (included from the top Makefile.am)
# payops-sim, the platform simulator. Everything but main.c goes into a
# library so the unit tests in tests/sim link the same code.
noinst_LIBRARIES += sim/libsim.a
sim_libsim_a_SOURCES = \
	sim/prng.c sim/prng.h \
	sim/util.c sim/util.h \
	sim/events.c sim/events.h \
	sim/idem.c sim/idem.h \
	sim/names.c sim/names.h \
	sim/world.h sim/world_gen.c sim/world_json.c sim/world_ops.c \
	sim/dynamics.c \
	sim/auth.c sim/auth.h \
	sim/http.c sim/http.h \
	sim/page.c sim/page.h \
	sim/approvals.c \
	sim/api.c sim/api.h sim/api_mut.c sim/api_lists.c sim/api_channels.c sim/api_queues.c \
	sim/api_approvals.c \
	sim/control.c \
	sim/metrics.c \
	sim/hostile.c sim/hostile.h
# the one growable array, shared with the console
sim_libsim_a_SOURCES += base/vec.c base/vec.h
sim_libsim_a_CFLAGS = $(COMMON_CFLAGS) $(MHD_CFLAGS) $(GNUTLS_CFLAGS) $(JANSSON_CFLAGS) -pthread

bin_PROGRAMS += payops-sim
payops_sim_SOURCES = sim/main.c sim/tls.c sim/tls.h
payops_sim_CFLAGS = $(COMMON_CFLAGS) $(MHD_CFLAGS) $(GNUTLS_CFLAGS) $(JANSSON_CFLAGS) -pthread
# sim/tls.c calls GnuTLS, which libmicrohttpd's TLS is built on
payops_sim_LDADD = sim/libsim.a $(MHD_LIBS) $(GNUTLS_LIBS) $(JANSSON_LIBS) -lm
payops_sim_LDFLAGS = $(AM_LDFLAGS) -pthread

man_MANS += man/payops-sim.1
