# SPDX-License-Identifier: ISC (see COPYING)
# fuzz: libFuzzer targets, one per parser of network or file input.
# Built with: CC=clang configure --enable-fuzzing (the whole library is then
# instrumented with -fsanitize=fuzzer-no-link). fuzz/run.sh runs each one
# briefly from its seed corpus as part of the test suite.
EXTRA_DIST += fuzz/README fuzz/run.sh fuzz/campaign.sh fuzz/corpus
if FUZZING
FUZZ_LINK = -fsanitize=fuzzer,address,undefined
noinst_PROGRAMS += fuzz/fuzz_decode fuzz/fuzz_sanitize fuzz/fuzz_config fuzz/fuzz_sse \
	fuzz/fuzz_alertmanager fuzz/fuzz_rfc5424 fuzz/fuzz_prometheus \
	fuzz/fuzz_approval fuzz/fuzz_filter
fuzz_fuzz_decode_SOURCES = fuzz/decode.c
fuzz_fuzz_decode_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_sanitize_SOURCES = fuzz/sanitize.c
fuzz_fuzz_sanitize_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_config_SOURCES = fuzz/config.c
fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_sse_SOURCES = fuzz/sse.c
fuzz_fuzz_sse_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_alertmanager_SOURCES = fuzz/alertmanager.c
fuzz_fuzz_alertmanager_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_rfc5424_SOURCES = fuzz/rfc5424.c
fuzz_fuzz_rfc5424_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_prometheus_SOURCES = fuzz/prometheus.c
fuzz_fuzz_prometheus_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_approval_SOURCES = fuzz/approval.c
fuzz_fuzz_approval_LDFLAGS = $(FUZZ_LINK)
fuzz_fuzz_filter_SOURCES = fuzz/filter.c
fuzz_fuzz_filter_LDFLAGS = $(FUZZ_LINK)
TESTS += fuzz/run.sh
endif
