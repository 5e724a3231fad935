# SPDX-License-Identifier: ISC (see COPYING)
# tests/i18n: the catalogues complete and current, the console in Chinese.
TESTS += tests/i18n/po.sh
EXTRA_DIST += tests/i18n/po.sh
