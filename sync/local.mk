# sync: pollers and the event stream that keep the store in step
libpayops_a_SOURCES += sync/sync.h sync/sync.c
