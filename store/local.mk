# SPDX-License-Identifier: ISC (see COPYING)
# store: the in-memory model views read
libpayops_a_SOURCES += store/store.h store/store.c store/store_int.h store/approvals.c
