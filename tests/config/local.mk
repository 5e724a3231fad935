# tests/config: build fragment (included from the top Makefile.am)
