# faxintake — GNU Makefile.  `make`, `make check`, `make demo`, `make deps`.
#
# Sources are discovered: every daemon/*.c and watch/*.c except the program
# mains goes into libfaxintake.a; every tests/unit/test_*.c is one unit-test
# program linked against it.  SANITIZE=1 builds into build/san/ with
# ASan+UBSan so the two builds never mix objects.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
SBINDIR   = $(PREFIX)/sbin
DATADIR   = $(PREFIX)/share/faxintake
MANDIR    = $(PREFIX)/share/man
SYSCONFDIR ?= /etc

# Debian 12 packages the build, the tests and the demo need.
DEB_PKGS = build-essential pkg-config libtiff-dev libleptonica-dev \
	libtesseract-dev tesseract-ocr tesseract-ocr-jpn \
	tesseract-ocr-script-jpan libsqlite3-dev sqlite3 \
	libmagic-dev libcairo2-dev libpango1.0-dev libpoppler-glib-dev \
	libzbar-dev libqrencode-dev libutf8proc-dev libinih-dev libjson-c-dev \
	nettle-dev libcmocka-dev fonts-ipaexfont-gothic fonts-ipaexfont-mincho \
	zbar-tools poppler-utils file fonts-seto python3 procps libtiff-tools

PKGS = libtiff-4 lept tesseract sqlite3 libmagic cairo pangocairo fontconfig \
	poppler-glib zbar libqrencode libutf8proc inih json-c nettle

ifeq ($(SANITIZE),1)
B        = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
else
B        = build
SANFLAGS =
endif

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	   -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Iinclude -D_GNU_SOURCE \
	-DFI_SRCDIR='"$(CURDIR)"' -DFI_DATADIR='"$(DATADIR)"' \
	-DFI_SYSCONFDIR='"$(SYSCONFDIR)"'
ALL_CFLAGS = -std=c17 $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm

MAINS    = daemon/faxintaked_main.c daemon/faxintake_main.c
LIB_SRCS = $(filter-out $(MAINS),$(sort $(wildcard daemon/*.c watch/*.c)))
LIB_OBJS = $(LIB_SRCS:%.c=$(B)/obj/%.o)
LIB      = $(B)/libfaxintake.a

# A tool is tests/tools/NAME.c, or every .c file of tests/tools/NAME/.
TOOL_SRCS  = $(sort $(wildcard tests/tools/*.c))
TOOL_DIRS  = $(patsubst %/,%,$(sort $(dir $(wildcard tests/tools/*/*.c))))
TOOLS      = $(TOOL_SRCS:tests/tools/%.c=$(B)/tools/%) \
	     $(TOOL_DIRS:tests/tools/%=$(B)/tools/%)
UNIT_SRCS  = $(sort $(wildcard tests/unit/test_*.c))
UNITS      = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
E2E        = $(sort $(wildcard tests/e2e/*.sh))

DAEMON = $(B)/faxintaked
CLI    = $(B)/faxintake

.PHONY: all check unit e2e deps bench-deps demo bench corpus variants install clean print-deps
all: $(DAEMON) $(CLI) $(TOOLS)

ifneq ($(V),1)
Q = @
endif

# Objects depend on the flags they were built with (PREFIX is compiled in:
# `make install PREFIX=/usr` after a plain `make` must rebuild).
FLAGS_STAMP = $(B)/flags.stamp
FLAGS_NOW   = $(CC) $(CPPFLAGS) $(ALL_CFLAGS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' >$@
.PHONY: FORCE
FORCE:

$(B)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(DAEMON): $(B)/obj/daemon/faxintaked_main.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)
$(CLI): $(B)/obj/daemon/faxintake_main.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)
define tool_dir_rule
$(B)/tools/$(notdir $(1)): $(patsubst %.c,$(B)/obj/%.o,$(wildcard $(1)/*.c)) $(LIB)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(ALL_CFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach d,$(TOOL_DIRS),$(eval $(call tool_dir_rule,$(d))))

$(B)/tools/%: $(B)/obj/tests/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)
$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# `make deps`: install what is missing when root, else print the exact
# line.  $(1): the packages; $(2): 1 to fail when some are missing.
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "make: installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "make: missing Debian packages; run as root:"; \
	  echo "  apt-get install --no-install-recommends$$missing"; exit $(2); \
	fi
endef

# Only `make bench` compares with ocrmypdf; the tests never need it.
BENCH_PKGS = ocrmypdf

deps:
	$(call install_missing,$(DEB_PKGS),1)

bench-deps: deps
	$(call install_missing,$(BENCH_PKGS),0)

print-deps:
	@echo $(DEB_PKGS)

check: deps
	$(MAKE) all
	$(MAKE) unit e2e

# Unit tests: every program; e2e: every script, each given the build dir.
unit: $(UNITS)
	@pass=0; fail=0; for t in $(UNITS); do \
	  if $$t >$$t.log 2>&1; then pass=$$((pass+1)); echo "PASS $$t"; \
	  else fail=$$((fail+1)); echo "FAIL $$t"; cat $$t.log; fi; \
	done; echo "unit: $$pass passed, $$fail failed"; [ $$fail = 0 ]

e2e: $(DAEMON) $(CLI) $(TOOLS)
	@FI_BUILD=$(CURDIR)/$(B) tests/e2e/run.sh $(E2E)

demo: deps
	$(MAKE) all
	@FI_BUILD=$(CURDIR)/$(B) tests/demo.sh

install: $(DAEMON) $(CLI)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) \
	  $(DESTDIR)$(SYSCONFDIR)/faxintake $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/sysusers.d \
	  $(DESTDIR)$(PREFIX)/lib/tmpfiles.d
	install -m 0755 $(DAEMON) $(DESTDIR)$(SBINDIR)/faxintaked
	install -m 0755 $(CLI) $(DESTDIR)$(BINDIR)/faxintake
	cp -R templates/. $(DESTDIR)$(DATADIR)/
	install -m 0644 faxintake.conf.example $(DESTDIR)$(SYSCONFDIR)/faxintake/faxintake.conf.example
	sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/faxintaked.service.in > $(DESTDIR)$(PREFIX)/lib/systemd/system/faxintaked.service
	install -m 0644 systemd/faxintake.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/faxintake.conf
	install -m 0644 systemd/faxintake.tmpfiles $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/faxintake.conf
	for m in doc/*.5; do [ -f "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/ || true; done

clean:
	rm -rf build

# `make corpus`: the reproducible synthetic fax corpus (fixed seed, same
# bytes every time) under build/corpus; see tests/tools/faxsynth/README.
corpus: $(B)/tools/faxsynth
	rm -rf $(B)/corpus
	$(B)/tools/faxsynth corpus --seed 20261121 --out $(B)/corpus

# `make variants`: the printed shapes of 髙/高 and 﨑/崎 that variant.c
# compares glyphs with, drawn with the IPAex fonts.  The output is
# committed; run this after changing variant_shape() or the fonts.
variants: $(B)/tools/mkvariants
	$(B)/tools/mkvariants daemon/variant_data.c

# `make bench`: reading accuracy (fax fine / normal, never tuned on this
# held-out test split) and speed against the tesseract command and
# ocrmypdf; see the README's "Benchmarks".  About 8 minutes on 2 cores.
# The corpus is made again when faxsynth changed (its truth may have).
BENCH_DIR = $(B)/bench/test
$(BENCH_DIR)/index.json: $(B)/tools/faxsynth
	rm -rf $(BENCH_DIR)
	$(B)/tools/faxsynth corpus --split test --out $(BENCH_DIR)

bench: bench-deps $(B)/tools/readbench $(BENCH_DIR)/index.json
	$(B)/tools/readbench --jobs 2 --fax --speed 3 $(BENCH_DIR)

# Keep objects of test programs between runs.
.SECONDARY:
