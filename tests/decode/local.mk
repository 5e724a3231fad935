# tests/decode: build fragment (included from the top Makefile.am)
