# tests/e2e: build fragment (included from the top Makefile.am)
