# SPDX-License-Identifier: ISC (see COPYING)
# config: build fragment (included from the top Makefile.am)
# payops.yaml: YAML -> tree with positions -> checked cfg_config
libpayops_a_SOURCES += \
	config/config_int.h \
	config/errors.c \
	config/tree.c \
	config/values.c \
	config/paths.c \
	config/load_int.h \
	config/load.c \
	config/endpoints.c \
	config/keybinds.c \
	config/metrics.c \
	config/token.c \
	config/check.c \
	config/dump.c
