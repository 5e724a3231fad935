# SPDX-License-Identifier: ISC (see COPYING)
# cache: the SQLite mirror of the platform (one database per platform) and
# the incremental sync of the big collections that fills it
libpayops_a_SOURCES += cache/cache.h cache/cache_int.h cache/schema.c \
	cache/open.c cache/save.c cache/batch.c cache/load.c cache/bulk.c \
	cache/query_int.h cache/query.c cache/query_text.c cache/query_breaks.c \
	cache/query_cases.c cache/query_limits.c cache/rowset.c cache/recon_summary.c \
	cache/build.c cache/reader.c cache/json.c cache/headline.c \
	sync/incr.h sync/incr.c
