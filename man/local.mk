# SPDX-License-Identifier: ISC (see COPYING)
# man: the manual pages. Each is written as man/PAGE.in; the build fills in
# the version from configure.ac, so a page never names an old release.
man_MANS += man/payops.1 man/payops.yaml.5 man/payops-audit.1 man/payops-api.7
EXTRA_DIST += man/payops.1.in man/payops.yaml.5.in man/payops-audit.1.in \
	man/payops-api.7.in man/payops-sim.1.in
CLEANFILES += man/payops.1 man/payops.yaml.5 man/payops-audit.1 \
	man/payops-api.7 man/payops-sim.1
man_subst = $(AM_V_GEN)$(MKDIR_P) man && \
	sed -e 's|@VERSION[@]|$(VERSION)|g' $(srcdir)/$@.in > $@.tmp && mv $@.tmp $@
man/payops.1: man/payops.1.in Makefile
	$(man_subst)
man/payops.yaml.5: man/payops.yaml.5.in Makefile
	$(man_subst)
man/payops-audit.1: man/payops-audit.1.in Makefile
	$(man_subst)
man/payops-api.7: man/payops-api.7.in Makefile
	$(man_subst)
man/payops-sim.1: man/payops-sim.1.in Makefile
	$(man_subst)
