# The kiosk: `make demo` and `make test` are the two commands a new machine needs.
# Build outputs go to build/ (native), build/asan (sanitizers) and build/arm64 (the Pi).

BUILD      ?= build
CC         ?= cc
PKG_CONFIG ?= pkg-config
VERSION    := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0)
# The core (make core) needs no SDL: what kiosk-hub links. The screen, sound and systemd
# come on top of it.
CORE_PKGS  := sqlite3 inih libcjson libcurl libcrypto libqrencode
PKGS       := $(CORE_PKGS) sdl2 SDL2_ttf SDL2_image fontconfig espeak-ng libsystemd
# kiosk-hub: the core and libmicrohttpd, no SDL.
HUB_PKGS   := $(CORE_PKGS) libmicrohttpd

CFLAGS_COMMON := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O2 -pthread -MMD -MP
USER_CFLAGS   := $(CFLAGS)
override CFLAGS := $(CFLAGS_COMMON) $(shell $(PKG_CONFIG) --cflags $(PKGS)) $(USER_CFLAGS) $(SAN)
# -MD, not -MMD: the core's dependency files list system headers too, so SDL's would show.
CORE_CFLAGS := $(filter-out -MMD,$(CFLAGS_COMMON)) -MD $(shell $(PKG_CONFIG) --cflags $(CORE_PKGS)) $(USER_CFLAGS) $(SAN)
LIBS        := $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm -pthread
CORE_LIBS   := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS)) -lm -pthread
HUB_CFLAGS  := $(CORE_CFLAGS) $(shell $(PKG_CONFIG) --cflags libmicrohttpd)
HUB_LIBS    := $(shell $(PKG_CONFIG) --libs $(HUB_PKGS)) -lm -pthread
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
override LDFLAGS := $(LDFLAGS) $(SAN)

# kiosk/hub/ is kiosk-hub's own (docs/hub.md); everything else is the kiosk's.
SRCS      := $(shell find kiosk -name '*.c' -not -path 'kiosk/hub/*' | sort)
HUB_SRCS  := $(sort $(wildcard kiosk/hub/*.c))
HUB_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out kiosk/hub/hub_main.c,$(HUB_SRCS)))
LIB_SRCS  := $(filter-out kiosk/main.c,$(SRCS))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
# The SDL-free core: these folders, the three pure parsers config.c checks values with, and
# the self-test checks and the ratings report kiosk-hub shares.
CORE_DIRS := base config model feed backend net store qr
CORE_SRCS := $(sort $(foreach d,$(CORE_DIRS),$(filter kiosk/$(d)/%,$(SRCS))) \
               kiosk/audio/announce.c kiosk/audio/schedule.c kiosk/printer/transport.c \
               kiosk/ops/checks.c kiosk/cli/report_cli.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
CORE_LIB  := $(BUILD)/libkiosk-core.a
UI_OBJS   := $(filter-out $(CORE_OBJS),$(LIB_OBJS))
# Two tiers of tests, both on the shared harness: tests/ calls the kiosk's code in-process
# (make check), tests/system/ starts processes: the kiosk, backend-sim, the Python simulators,
# zbarimg, valgrind... (make test runs both). test_core_link links the core alone.
UNIT_SRCS    := $(filter-out tests/test_core_link.c,$(sort $(wildcard tests/test_*.c)))
SYSTEM_SRCS  := $(sort $(wildcard tests/system/test_*.c))
TEST_SRCS    := $(UNIT_SRCS) $(SYSTEM_SRCS)
# harness.o has no SDL (kiosk-hub's tests link it alone); harness_screen.o reads pixels.
HARNESS      := $(BUILD)/obj/tests/harness.o $(BUILD)/obj/tests/harness_screen.o
HUB_HARNESS  := $(BUILD)/obj/tests/harness.o
UNIT_TESTS   := $(UNIT_SRCS:tests/%.c=$(BUILD)/tests/%) $(BUILD)/tests/test_core_link
SYSTEM_TESTS := $(SYSTEM_SRCS:tests/system/%.c=$(BUILD)/tests/system/%)
TESTS        := $(UNIT_TESTS) $(SYSTEM_TESTS)
# libFuzzer harnesses (docs/reliability.md): clang, the kiosk's sources instrumented for
# coverage under ASan + UBSan, in build/fuzz.
FUZZ_BUILD   := build/fuzz
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=all
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS      := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzzers/%)
FUZZ_SECONDS ?= 60

DEMO_KEY  := out/demo-site.key
SANITIZE  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ARM64_ENV := CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar PKG_CONFIG=aarch64-linux-gnu-pkg-config BUILD=build/arm64

# Keep intermediate objects (the test harness) between runs.
.SECONDARY:

.PHONY: FORCE all core demo test check unit-tests system-tests tests lint format bench soak valgrind cross test-arm64 screenshots deps deb test-trixie test-image image clean \
        fuzz fuzz-smoke fuzz-build fuzzers

all: $(BUILD)/kiosk $(BUILD)/kiosk-hub $(DEMO_KEY)

# The demo's token key (assets/demo.ini): random per checkout, never committed, since git
# cannot keep the 0600 mode the kiosk insists on.
$(DEMO_KEY):
	@mkdir -p $(@D)
	@umask 077 && head -c 32 /dev/urandom > $@.tmp && mv $@.tmp $@

$(BUILD)/kiosk: $(BUILD)/obj/kiosk/main.o $(UI_OBJS) $(CORE_LIB)
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# No SDL in kiosk-hub: its objects are checked as the core's are.
$(BUILD)/kiosk-hub: $(BUILD)/obj/kiosk/hub/hub_main.o $(HUB_OBJS) $(CORE_LIB)
	@if grep -l 'SDL2/' $(^:.o=.d) 2>/dev/null; then echo "kiosk-hub: the files above include SDL" >&2; exit 1; fi
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(CORE_LIB) $(HUB_LIBS)

core: $(CORE_LIB)

# Built without SDL's flags; a core file that includes an SDL header anyway (from the default
# include path) is named here, and one that calls into SDL fails test_core_link's link.
$(CORE_LIB): $(CORE_OBJS) Makefile
	@if grep -l 'SDL2/' $(CORE_OBJS:.o=.d); then echo "core: the files above include SDL" >&2; exit 1; fi
	@echo "  AR    $@"
	@rm -f $@ && $(AR) rcs $@ $(CORE_OBJS)

# Every object of the core, linked with the core's libraries only.
$(BUILD)/tests/test_core_link: tests/test_core_link.c $(CORE_LIB)
	@mkdir -p $(@D)
	@echo "  TEST  $@"
	@$(CC) $(CORE_CFLAGS) -Ikiosk $(shell $(PKG_CONFIG) --cflags cmocka) -o $@ $< \
	    -Wl,--whole-archive $(CORE_LIB) -Wl,--no-whole-archive $(CORE_LIBS) $(TEST_LIBS)

# The version is compiled into main.o only, which is rebuilt when the version changes.
$(BUILD)/version: FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@

$(BUILD)/obj/kiosk/main.o: CFLAGS += -DKIOSK_VERSION='"$(VERSION)"'
$(BUILD)/obj/kiosk/main.o: $(BUILD)/version
$(BUILD)/obj/kiosk/hub/hub_main.o: HUB_CFLAGS += -DKIOSK_VERSION='"$(VERSION)"'
$(BUILD)/obj/kiosk/hub/hub_main.o: $(BUILD)/version

$(BUILD)/obj/kiosk/hub/%.o: kiosk/hub/%.c
	@mkdir -p $(@D)
	@echo "  CC    $<"
	@$(CC) $(HUB_CFLAGS) -Ikiosk -c -o $@ $<

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC    $<"
	@$(CC) $(if $(filter $@,$(CORE_OBJS)),$(CORE_CFLAGS),$(CFLAGS)) -Ikiosk -c -o $@ $<

# The system tests run the kiosk binary (KIOSK_BIN), so they are rebuilt with it.
TEST_LINK = @mkdir -p $(@D) && echo "  TEST  $@" && \
    $(CC) $(CFLAGS) -Ikiosk -Itests $(shell $(PKG_CONFIG) --cflags cmocka) -o $@ $< \
    $(LIB_OBJS) $(HARNESS) $(LIBS) $(TEST_LIBS)

# kiosk-hub's tests: the hub's objects and the core, with libmicrohttpd, never SDL.
HUB_TEST_LINK = @mkdir -p $(@D) && echo "  TEST  $@" && \
    $(CC) $(HUB_CFLAGS) -Ikiosk -Itests $(shell $(PKG_CONFIG) --cflags cmocka) -o $@ $< \
    $(HUB_OBJS) $(HUB_HARNESS) $(CORE_LIB) $(HUB_LIBS) $(TEST_LIBS)

$(BUILD)/tests/system/test_hub_%: tests/system/test_hub_%.c $(HUB_OBJS) $(CORE_LIB) $(HUB_HARNESS) $(BUILD)/kiosk-hub $(BUILD)/kiosk
	$(HUB_TEST_LINK)

$(BUILD)/tests/test_hub_%: tests/test_hub_%.c $(HUB_OBJS) $(CORE_LIB) $(HUB_HARNESS)
	$(HUB_TEST_LINK)

$(BUILD)/tests/system/%: tests/system/%.c $(LIB_OBJS) $(HARNESS) $(BUILD)/kiosk
	$(TEST_LINK)

$(BUILD)/tests/%: tests/%.c $(LIB_OBJS) $(HARNESS)
	$(TEST_LINK)

# A test program whose source is gone (moved to tests/system/, renamed, removed) is deleted,
# so that no runner picks up a stale one.
STALE_TESTS = $(filter-out $(TESTS) %.d,$(wildcard $(BUILD)/tests/test_* $(BUILD)/tests/system/test_*))

unit-tests: $(UNIT_TESTS)
	@rm -f $(STALE_TESTS) $(STALE_TESTS:=.d)
system-tests: $(SYSTEM_TESTS)
	@rm -f $(STALE_TESTS) $(STALE_TESTS:=.d)
tests: $(TESTS)
	@rm -f $(STALE_TESTS) $(STALE_TESTS:=.d)

$(BUILD)/fuzzers/%: tests/fuzz/%.c $(LIB_OBJS) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	@echo "  FUZZ  $@"
	@$(CC) $(CFLAGS) -fsanitize=fuzzer -Ikiosk -Itests/fuzz -o $@ $< $(LIB_OBJS) $(LIBS)

# kiosk-hub's harnesses run the real hub in-process: its objects, the core, libmicrohttpd, no
# SDL.
$(BUILD)/fuzzers/fuzz_hub_%: tests/fuzz/fuzz_hub_%.c $(HUB_OBJS) $(CORE_LIB) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	@echo "  FUZZ  $@"
	@$(CC) $(HUB_CFLAGS) -fsanitize=fuzzer -Ikiosk -Itests/fuzz -o $@ $< $(HUB_OBJS) $(CORE_LIB) \
	    $(HUB_LIBS)

fuzzers: $(FUZZERS)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang SAN="$(FUZZ_SAN)" fuzzers

# Each harness for FUZZ_SECONDS, growing its corpus in build/fuzz/corpus (never tests/fuzz).
fuzz: fuzz-build
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The committed corpus replayed, then each harness for a few seconds (part of make test).
fuzz-smoke: fuzz-build
	@scripts/fuzz.sh --smoke $(FUZZ_BUILD) $(or $(FUZZ_SMOKE_SECONDS),4)

deps:
	@scripts/deps.sh test

# Installs what is missing (the browser too, for the phone page's screenshot), builds, and
# runs the kiosk on its built-in demo clinic: full-screen where there is a display,
# screenshots in out/ where there is none.
demo:
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BUILD)/kiosk $(BUILD)/kiosk-hub

# The edit-compile-test loop: the native build and the in-process tests (tests/) only; no
# processes started, no sanitizers, no fuzzing (a few seconds once built).
check:
	@$(MAKE) --no-print-directory all unit-tests
	@scripts/run-tests.sh --unit $(BUILD)

# Both tiers of tests, lint, then the same tests again under ASan + UBSan, and a short run of
# every fuzzer.
test: deps
	@$(MAKE) --no-print-directory all tests
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory BUILD=build/asan SAN="$(SANITIZE)" all tests
	@$(MAKE) --no-print-directory fuzz-smoke
	@scripts/run-tests.sh build build/asan

lint:
	@scripts/lint.sh

format:
	clang-format -i $(SRCS) $(HUB_SRCS) $(wildcard kiosk/*.h kiosk/*/*.h tests/*.h) $(TEST_SRCS) tests/test_core_link.c tests/harness.c tests/harness_screen.c

# The kiosk's figures, then kiosk-hub's (2,000 long-polling devices, 500 live phone pages).
bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/hub-load
	@scripts/bench.sh $(BUILD)/kiosk
	@scripts/bench-hub.sh $(BUILD)/kiosk-hub $(BUILD)/hub-load $(BUILD)/kiosk

# make bench's load for kiosk-hub: one thread, epoll, thousands of parked connections.
$(BUILD)/hub-load: tests/bench/hub_load.c
	@mkdir -p $(@D)
	@echo "  CC    $@"
	@$(CC) $(filter-out -MMD -MP,$(CFLAGS_COMMON)) -o $@ $<

# 100,000 calls on the demo clinic at 10000x (about 20 minutes): memory and descriptors per
# 1000 calls, the RSS slope; figures in docs/reliability.md.
soak: all
	@scripts/soak.sh $(BUILD)/kiosk

# The kiosk under valgrind memcheck on the demo clinic and on backend-sim (tests/valgrind.supp).
valgrind: all
	@scripts/valgrind.sh $(BUILD)/kiosk

screenshots: all
	@scripts/screenshots.sh $(BUILD)/kiosk docs/screenshots

cross:
	@scripts/deps.sh cross
	@$(MAKE) --no-print-directory $(ARM64_ENV) all tests

test-arm64: cross
	@scripts/test-arm64.sh build/arm64

# Debian packages for this machine and arm64 in out/deb, checked by lintian (docs/deployment.md).
deb:
	@scripts/make-deb.sh

# The unit tests built and run in a Debian trixie chroot (cached in out/trixie).
test-trixie:
	@scripts/test-trixie.sh

# The arm64 package installed into a debootstrapped arm64 rootfs (cached in out/rootfs-arm64)
# by scripts/install.sh, and the kiosk run there under qemu.
test-image:
	@scripts/make-deb.sh arm64
	@scripts/build-image.sh --test

# A flashable image: make image PI_IMAGE=raspios-lite.img [OUT_IMAGE=out/kiosk.img]
image:
	@scripts/make-deb.sh arm64
	@scripts/build-image.sh --from "$(PI_IMAGE)" --out "$(or $(OUT_IMAGE),out/kiosk.img)"

clean:
	rm -rf build out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
