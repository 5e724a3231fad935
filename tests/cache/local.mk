# tests/cache: the SQLite cache (cmocka on temp files and :memory:) and the
# incremental sync against the real payops-sim (TAP shell)
TESTS += tests/cache/incr.sh
EXTRA_DIST += tests/cache/incr.sh
# the file: migrations, bad files moved aside, modes, no token
check_PROGRAMS += tests/cache/file_test
TESTS += tests/cache/file_test
tests_cache_file_test_SOURCES = tests/cache/file_test.c tests/cache/fixture.c tests/cache/fixture.h
# what is kept: round trips, merges, sweeps, sync state, events
check_PROGRAMS += tests/cache/save_test
TESTS += tests/cache/save_test
tests_cache_save_test_SOURCES = tests/cache/save_test.c tests/cache/fixture.c tests/cache/fixture.h
# the panes' queries: pages, filters, counts and sums, recon summary
check_PROGRAMS += tests/cache/query_test
TESTS += tests/cache/query_test
tests_cache_query_test_SOURCES = tests/cache/query_test.c tests/cache/fixture.c tests/cache/fixture.h
# the index build of a bulk load on its own thread
check_PROGRAMS += tests/cache/build_test
TESTS += tests/cache/build_test
tests_cache_build_test_SOURCES = tests/cache/build_test.c tests/cache/fixture.c tests/cache/fixture.h
# the text filter through the trigram indexes, and the pages' plans
check_PROGRAMS += tests/cache/search_test
TESTS += tests/cache/search_test
tests_cache_search_test_SOURCES = tests/cache/search_test.c tests/cache/fixture.c tests/cache/fixture.h
# the breaks pane's slow queries as rowids
check_PROGRAMS += tests/cache/rowset_test
TESTS += tests/cache/rowset_test
tests_cache_rowset_test_SOURCES = tests/cache/rowset_test.c tests/cache/breakset.c \
	tests/cache/breakset.h tests/cache/fixture.c tests/cache/fixture.h
# the reader thread that runs them
check_PROGRAMS += tests/cache/reader_test
TESTS += tests/cache/reader_test
tests_cache_reader_test_SOURCES = tests/cache/reader_test.c tests/cache/breakset.c \
	tests/cache/breakset.h tests/cache/fixture.c tests/cache/fixture.h
tests_cache_reader_test_LDADD = $(TESTS_LINK_LIBS) -lpthread
