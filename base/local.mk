# base: the floor every other layer stands on: the event loop and its clock,
# retry backoff, and the small utilities used everywhere. It includes nothing
# of the project's but itself.
libpayops_a_SOURCES += \
	base/ev.h base/ev.c \
	base/backoff.h base/backoff.c
# the one duration grammar (payops.yaml, the dialogs)
libpayops_a_SOURCES += base/duration.h base/duration.c
