# tests/widgets: build fragment (included from the top Makefile.am)
