# SPDX-License-Identifier: ISC (see COPYING)
# tests/cache: the SQLite cache (cmocka on temp files and :memory:) and the
# incremental sync against the real payops-sim (TAP shell)
TESTS += tests/cache/incr.sh
EXTRA_DIST += tests/cache/incr.sh
# file: migrations, bad files moved aside, modes, no token
# save: what is kept: round trips, merges, sweeps, sync state, events
# query: the panes' queries: pages, filters, counts and sums, recon summary
# build: the index build of a bulk load on its own thread
# search: the text filter through the trigram indexes, and the pages' plans
# rowset: the breaks pane's slow queries as rowids; reader: the thread that
# runs them (both on the shared set of breaks)
cache_tests = tests/cache/file_test tests/cache/save_test tests/cache/query_test \
	tests/cache/build_test tests/cache/search_test tests/cache/rowset_test \
	tests/cache/reader_test
check_PROGRAMS += $(cache_tests)
TESTS += $(cache_tests)
# a cache on a temp file (also used by tests/ops and tests/views)
cache_fixture = tests/cache/fixture.c tests/cache/fixture.h
cache_breakset = tests/cache/breakset.c tests/cache/breakset.h $(cache_fixture)
tests_cache_file_test_SOURCES = tests/cache/file_test.c $(cache_fixture)
tests_cache_save_test_SOURCES = tests/cache/save_test.c $(cache_fixture)
tests_cache_query_test_SOURCES = tests/cache/query_test.c $(cache_fixture)
tests_cache_build_test_SOURCES = tests/cache/build_test.c $(cache_fixture)
tests_cache_search_test_SOURCES = tests/cache/search_test.c $(cache_fixture)

tests_cache_rowset_test_SOURCES = tests/cache/rowset_test.c $(cache_breakset)
tests_cache_reader_test_SOURCES = tests/cache/reader_test.c $(cache_breakset)
tests_cache_reader_test_LDADD = $(TESTS_LINK_LIBS) -lpthread
