# SPDX-License-Identifier: ISC (see COPYING)
# tests/layers: the layer order of README.md, enforced over every include.
TESTS += tests/layers/layers.sh
EXTRA_DIST += tests/layers/layers.sh tests/layers/check.sh
