# tests/store: build fragment (included from the top Makefile.am)
