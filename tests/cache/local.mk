# tests/cache: the SQLite cache (cmocka on temp files and :memory:) and the
# incremental sync against the real payops-sim (TAP shell)
check_PROGRAMS += tests/cache/cache_test
TESTS += tests/cache/cache_test tests/cache/incr.sh
EXTRA_DIST += tests/cache/incr.sh
tests_cache_cache_test_SOURCES = tests/cache/cache_test.c tests/cache/fixture.c tests/cache/fixture.h
tests_cache_cache_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_cache_cache_test_LDADD = $(TESTS_LINK_LIBS)
# the index build of a bulk load on its own thread
check_PROGRAMS += tests/cache/build_test
TESTS += tests/cache/build_test
tests_cache_build_test_SOURCES = tests/cache/build_test.c tests/cache/fixture.c tests/cache/fixture.h
tests_cache_build_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_cache_build_test_LDADD = $(TESTS_LINK_LIBS)
# the text filter through the trigram indexes, and the pages' plans
check_PROGRAMS += tests/cache/search_test
TESTS += tests/cache/search_test
tests_cache_search_test_SOURCES = tests/cache/search_test.c tests/cache/fixture.c tests/cache/fixture.h
tests_cache_search_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_cache_search_test_LDADD = $(TESTS_LINK_LIBS)
# the breaks pane's slow queries as rowids, and the reader thread
check_PROGRAMS += tests/cache/reader_test
TESTS += tests/cache/reader_test
tests_cache_reader_test_SOURCES = tests/cache/reader_test.c tests/cache/fixture.c tests/cache/fixture.h
tests_cache_reader_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_cache_reader_test_LDADD = $(TESTS_LINK_LIBS) -lpthread
