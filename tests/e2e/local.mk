# tests/e2e: the real binaries in a real terminal (tmux) against payops-sim
TESTS += tests/e2e/cli.sh tests/e2e/screen.sh tests/e2e/live.sh \
	tests/e2e/demo.sh
EXTRA_DIST += tests/e2e/cli.sh tests/e2e/screen.sh tests/e2e/live.sh \
	tests/e2e/demo.sh tests/e2e/common.sh tests/lib/tmux.sh
