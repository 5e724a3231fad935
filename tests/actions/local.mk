# SPDX-License-Identifier: ISC (see COPYING)
# tests/actions: unit tests of the action client, and integration against
# payops-sim through act-driver (one action per run, result as JSON).
check_PROGRAMS += tests/actions/act_test tests/actions/act-driver
TESTS += tests/actions/act_test tests/actions/sim.sh
EXTRA_DIST += tests/actions/sim.sh
tests_actions_act_driver_SOURCES = tests/actions/act_driver.c
