# bbmprobe: `make run` boots the default suite on QEMU virt; `make test` runs every test.
# Every target that builds or runs something starts with scripts/deps, which installs what is
# missing, so any of them works as the first command on a fresh machine. See README.md.

# ---- user knobs -------------------------------------------------------------
# Empty means the board's own value: virt for the QEMU targets and rpi4 for `make sdcard`; on virt
# 1 CPU, 512M and entry at EL1; the Pi machines have fixed CPUs, RAM and entry EL (scripts/run-qemu).
BOARD ?=
# QEMU -cpu; empty: the board's core (cortex-a72 on virt and rpi4, cortex-a53 on rpi3).
CPU ?=
SMP ?=
# QEMU TCG threading: empty (single; multi on npcm845), single or multi (docs/smp.md).
TCG ?=
MEM ?=
EL ?=
ARGS ?=
TIMEOUT ?= 120
# 0: exit through PSCI, the watchdog or a halt as on hardware; the status then comes from the EXIT line.
SEMIHOSTING ?= 1
GDB_PORT ?= 1234
FALLBACK_BOARD ?= virt
PT_POOL_PAGES ?= 128
# `make bench`: QEMU processes to take the median ratio over (scripts/bench); per layout for
# `make bench-layouts`.
BENCH_RUNS ?= 5
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 15
# One input running longer than this is a failure (a hang), saved as build/fuzz/timeout-*.
FUZZ_INPUT_TIMEOUT ?= 20
# `make run ACCEL=kvm`: QEMU virt on an arm64 Linux host's own cores (docs/labs.md).
ACCEL ?=
# `make lava-jobs`: where the lab fetches kernel8.img and the DTBs (default: this build, file://).
LAVA_URL ?=
# `make report`: the logs (scripts/run-qemu --log, or a board's console) to merge.
LOGS ?=
# A built casemate-check (rems-project/casemate): `make test` then checks every scenario's trace with it.
CASEMATE_CHECK ?=

# Target compiler: Debian's cross gcc by default, `make CC=clang` for clang/lld.
ifeq ($(origin CC),default)
CC := aarch64-linux-gnu-gcc
endif
HOSTCC ?= gcc
CROSS ?= aarch64-linux-gnu-
OBJCOPY := $(CROSS)objcopy

ifneq ($(findstring clang,$(notdir $(CC))),)
TOOLCHAIN := clang
TARGET_FLAGS := --target=aarch64-none-elf
# clang 14 has no -static-pie for bare-metal targets: ask lld for the same thing.
LDFLAGS_TC := -fuse-ld=lld -static -Wl,-pie
else
TOOLCHAIN := gcc
TARGET_FLAGS :=
# GCC turned pt_path_set_stop()'s loop into a call to picolibc's memset, far from the hot code.
HOT_PATH_FLAGS := -fno-tree-loop-distribute-patterns
LDFLAGS_TC := -static-pie -Wl,--no-warn-rwx-segments
endif

# The table pool (mmu/pool.h): the boot map needs at most 7 pages before the DTB is read (root, two
# L1 and four L2 tables for the image and the DTB); fewer could not even print why.
ifeq ($(shell [ "$(PT_POOL_PAGES)" -ge 7 ] 2>/dev/null && echo ok),)
$(error PT_POOL_PAGES=$(PT_POOL_PAGES): give a number of 4 KiB table pages, at least 7 (the boot map's worst case before the DTB is read))
endif
# Another pool size builds elsewhere: its image is a different firmware.
B := build/$(TOOLCHAIN)$(if $(filter-out 128,$(PT_POOL_PAGES)),-pool$(PT_POOL_PAGES))
HOST_B := build/host
PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
LIBFDT := build/deps/libfdt
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN := -Wall -Wextra -Werror
# What only the installed compiler knows is asked on first use, in a recipe, after scripts/deps has
# run, and then kept: computed while the Makefile is read, on a fresh machine it would be empty and
# `-isystem` would swallow the next flag. An empty answer is an error here instead.
tool_path = $(or $(filter /%,$(shell $1 2>/dev/null)),$(error `$1` gives no path: is the toolchain installed? Run scripts/deps))
CC_INCLUDE = $(eval CC_INCLUDE := $(call tool_path,$(CC) $(TARGET_FLAGS) -print-file-name=include))$(CC_INCLUDE)
LIBGCC = $(eval LIBGCC := $(call tool_path,$(CROSS)gcc -print-libgcc-file-name))$(LIBGCC)
CFLAGS = $(TARGET_FLAGS) -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin-printf \
	-fpie -mstrict-align -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-stack-protector \
	-ftls-model=local-exec -nostdinc -isystem $(PICOLIBC)/include -isystem $(LIBFDT)/include \
	-isystem $(CC_INCLUDE) -I. -include boot/visibility.h \
	-I$(B)/generated -DFALLBACK_BOARD='"$(FALLBACK_BOARD)"' -DPT_POOL_PAGES=$(PT_POOL_PAGES) \
	-MMD -MP $(HOT_PATH_FLAGS)
ASFLAGS := $(TARGET_FLAGS) -g -I. -Iboot -MMD -MP
LDFLAGS := $(TARGET_FLAGS) $(LDFLAGS_TC) -nostdlib -Wl,--no-dynamic-linker -Wl,-z,norelro \
	-Wl,-z,notext -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-T linker/bbmprobe.ld
# Compiler runtime: the cross gcc's libgcc for both toolchains (Debian ships no aarch64 compiler-rt builtins).
LIBS = $(LIBFDT)/lib/libfdt.a $(PICOLIBC)/lib/libc.a $(LIBGCC)

TARGET_SRCS := $(wildcard boot/*.S boot/*.c lib/*.c platform/*.c platform/boards/*.c mmu/*.c tests/*.c main/*.c)
TARGET_OBJS := $(patsubst %,$(B)/%.o,$(TARGET_SRCS))

IMAGE := $(B)/kernel8.img
ELF := $(B)/bbmprobe.elf

.DELETE_ON_ERROR:
.PHONY: all deps image run run-uboot bench bench-layouts sdcard test host-test integration-test fuzz fuzz-short debug lint \
	clean check-fresh lava-jobs lava-check results report
all: image

# Every rule that runs a tool has `| deps`: scripts/deps (quick when nothing is missing) runs before
# any of them, once per make; the makes that `make test` starts inherit BBMPROBE_DEPS_CHECKED.
ifeq ($(BBMPROBE_DEPS_CHECKED),)
deps:
	@scripts/deps
export BBMPROBE_DEPS_CHECKED := 1
else
deps: ;
endif

# The user's knobs reach the scripts through the environment (BBMPROBE_ARGS, ...), never pasted into
# a recipe: quotes, `$` and backslashes in ARGS arrive as typed. $(value) keeps make from expanding
# them, and unexport keeps make from expanding them for the environment of every recipe.
KNOBS := BOARD CPU SMP MEM EL ARGS TIMEOUT SEMIHOSTING GDB_PORT ACCEL LAVA_URL TCG BENCH_RUNS
$(foreach k,$(KNOBS),$(eval export BBMPROBE_$k := $$(value $k)))
unexport $(KNOBS)
# refuse TARGET,KNOBS,WHY: a shell line that stops with status 2 when the user set a knob TARGET ignores.
user_set = $(strip $(foreach k,$1,$(if $(filter command line environment environment override,$(origin $k)),$k)))
refuse = $(if $(call user_set,$2),echo "make $1: $(call user_set,$2): $3" >&2; exit 2;)

image: $(IMAGE) $(ELF) $(B)/bbmprobe-virt-el3.elf $(B)/rpi3.dtb $(B)/rpi4.dtb $(B)/npcm845-evb.dtb

# The version string lives in a generated header rewritten only when `git describe` changes, so the
# banner follows HEAD without recompiling everything on every build.
VERSION_H := $(B)/generated/version.h
$(VERSION_H): FORCE
	@mkdir -p $(dir $@)
	@echo '#define BBMPROBE_VERSION "$(VERSION)"' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(B)/main/main.c.o: $(VERSION_H)
.PHONY: FORCE
FORCE:

# `make V=1` shows the commands.
Q := $(if $(V),,@)

# The seed cycle's code in source order (boot/hot_data.h says why): GCC's block reordering, tail
# merging and jump threading moved blocks of the hot path to the far end of a 6 KiB function.
ifeq ($(TOOLCHAIN),gcc)
$(B)/tests/bench.c.o $(B)/mmu/pool.c.o: CFLAGS += -fno-reorder-blocks -fno-crossjumping -fno-thread-jumps
endif
$(B)/%.c.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC[$(TOOLCHAIN)] $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.S.o: %.S | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS[$(TOOLCHAIN)] $<")
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# A comma inside $(call ...) arguments.
, := ,
# Link $@ from the target objects with extra linker flags $(1), its map beside it, and check it.
define link_image
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD[$(TOOLCHAIN)] $@")
	$(Q)$(CC) $(LDFLAGS) $(1) -Wl,-Map,$(dir $@)bbmprobe.map -o $@ $(TARGET_OBJS) -Wl,--start-group $(LIBS) -Wl,--end-group
	@scripts/check-image $@
endef
# QEMU loads an ELF at its physical addresses and enters it at the highest EL (EL3 with
# secure=on); wrap the flat kernel8.img beside $@ 2 MiB into virt RAM, clear of the 1 MiB DTB QEMU
# puts at the RAM base.
wrap_el3 = $(Q)cd $(dir $@) && $(CROSS)ld -o $(notdir $@) -b binary --section-start=.data=0x40200000 \
	-e 0x40200000 -z noexecstack kernel8.img

$(ELF): $(TARGET_OBJS) linker/bbmprobe.ld $(LIBFDT)/lib/libfdt.a | deps
	$(call link_image)

# The same objects linked with the library's hot code (boot/hot_data.h) shifted by HOT bytes and the
# rest of .text by TEXT: $(B)/layouts/hotHOT-textTEXT/. make bench-layouts runs the bench on each.
# Shifts 736 bytes apart: two blocks of a page that share a QEMU jump-cache slot in one layout
# share it in another at most 11% of the time (30% for 512 apart; docs/scenarios.md, "Benchmark").
BENCH_LAYOUTS := hot0-text0 hot736-text768 hot1488-text0 hot2224-text768
BENCH_LAYOUT_IMAGES := $(foreach l,$(BENCH_LAYOUTS),$(addprefix $(B)/layouts/$(l)/,bbmprobe.elf kernel8.img bbmprobe-virt-el3.elf))
layout_shift = $(patsubst $(1)%,%,$(filter $(1)%,$(subst -, ,$(2))))
$(B)/layouts/%/bbmprobe.elf: $(TARGET_OBJS) linker/bbmprobe.ld $(LIBFDT)/lib/libfdt.a | deps
	$(call link_image,-Wl$(,)--defsym=LAYOUT_SHIFT_HOT=$(call layout_shift,hot,$*) \
		-Wl$(,)--defsym=LAYOUT_SHIFT_TEXT=$(call layout_shift,text,$*))
$(B)/layouts/%/kernel8.img: $(B)/layouts/%/bbmprobe.elf
	$(Q)$(OBJCOPY) -O binary $< $@
$(B)/layouts/%/bbmprobe-virt-el3.elf: $(B)/layouts/%/kernel8.img
	$(wrap_el3)

$(IMAGE): $(ELF)
	$(Q)$(OBJCOPY) -O binary $< $@

$(B)/bbmprobe-virt-el3.elf: $(IMAGE)
	$(wrap_el3)

# QEMU virt with a chosen x0 (scripts/run-qemu --x0): a shim loads x0 from 0x40170000, where
# run-qemu's -device loader writes it, and jumps to the image at 0x40200000 (as in the EL3 ELF).
$(B)/bbmprobe-virt-x0.elf: $(IMAGE) host/support/x0-shim.S
	$(Q)$(CROSS)as -o $(B)/x0-shim.o host/support/x0-shim.S
	$(Q)cd $(dir $@) && $(CROSS)ld -o $(notdir $@) --section-start=.text=0x40190000 -e 0x40190000 \
		--section-start=.data=0x40200000 -z noexecstack x0-shim.o -b binary $(notdir $(IMAGE))

# scripts/deps fetches it.
$(LIBFDT)/lib/libfdt.a: | deps

# The board used when there is no DTB. platform.c bakes it in: rebuild it when the value changes.
BOARDS := $(patsubst platform/boards/%.c,%,$(wildcard platform/boards/*.c))
ifeq ($(filter $(FALLBACK_BOARD),$(BOARDS)),)
$(error FALLBACK_BOARD=$(FALLBACK_BOARD) is not a board; known: $(BOARDS))
endif
$(B)/fallback-board: FORCE
	@mkdir -p $(dir $@)
	@echo '$(FALLBACK_BOARD)' | cmp -s - $@ || echo '$(FALLBACK_BOARD)' >$@
$(B)/platform/platform.c.o: $(B)/fallback-board
.PHONY: FORCE

# The Pi device trees for QEMU raspi3b/raspi4b and the SD cards, and npcm845-evb's (QEMU makes none). The node is /soc, as in the
# kernel's bcm2837.dtsi and bcm2711.dtsi, although it has `ranges` but no unit address: silence that
# one dtc check.
$(B)/%.dtb: platform/dts/%.dts | deps
	@mkdir -p $(dir $@)
	$(Q)dtc -W no-unit_address_vs_reg -I dts -O dtb -o $@ $<

# ---- SD card for a real Raspberry Pi 4, or 3 with BOARD=rpi3 (docs/raspberry-pi-4.md, -3.md) --------
# scripts/mk-sdcard checks the board and, with the firmware's own parser (build/host/bootargs-check)
# and the image's test list, the boot arguments before it writes anything.
sdcard: image $(B)/tests.list $(HOST_B)/bootargs-check | deps
	@$(call refuse,sdcard,CPU SMP MEM EL TIMEOUT SEMIHOSTING GDB_PORT TCG BENCH_RUNS,QEMU settings; an SD card takes BOARD and ARGS only)
	@scripts/mk-sdcard --board "$${BBMPROBE_BOARD:-rpi4}" --build $(B) -- "$$BBMPROBE_ARGS"

# The registered test names, asked of the image itself (`list` under QEMU virt, about a second), so
# that the host checks tests= against exactly what the firmware will match.
$(B)/tests.list: $(IMAGE) scripts/list-tests | deps
	$(Q)scripts/list-tests --build $(B) >$@.tmp && mv $@.tmp $@

# ---- running ------------------------------------------------------------------
RUN_QEMU_OPTS = --board "$${BBMPROBE_BOARD:-virt}" --cpu "$$BBMPROBE_CPU" --smp "$$BBMPROBE_SMP" \
	--mem "$$BBMPROBE_MEM" --el "$$BBMPROBE_EL" --semihosting "$$BBMPROBE_SEMIHOSTING" --tcg "$$BBMPROBE_TCG" --build $(B)
RUN_QEMU = scripts/run-qemu $(RUN_QEMU_OPTS)
# ACCEL=kvm: QEMU virt on an arm64 host's own cores (docs/labs.md).
run: image | deps
	@$(call refuse,run,GDB_PORT,only for make debug)
	@$(call refuse,run,BENCH_RUNS,only for make bench and make bench-layouts)
	@$(RUN_QEMU) $${BBMPROBE_ACCEL:+--accel "$$BBMPROBE_ACCEL"} --timeout "$$BBMPROBE_TIMEOUT" -- "$$BBMPROBE_ARGS"

# The bench group (tests/bench.c): ns per seed cycle per policy, baseline and ratio, in BENCH_RUNS
# QEMU processes, then the median ratio of each policy and setting (scripts/bench).
bench: image | deps
	@$(call refuse,bench,GDB_PORT,only for make debug)
	@scripts/bench --runs "$$BBMPROBE_BENCH_RUNS" $(RUN_QEMU_OPTS) --timeout "$$BBMPROBE_TIMEOUT" \
		-- tests=bench "$$BBMPROBE_ARGS"

# The same bench on each of BENCH_LAYOUTS, then the worst layout per policy and setting
# (scripts/bench-layouts): whether a target holds whatever the linker does with the code.
bench-layouts: image $(BENCH_LAYOUT_IMAGES) | deps
	@$(call refuse,bench-layouts,GDB_PORT,only for make debug)
	@scripts/bench-layouts --runs "$$BBMPROBE_BENCH_RUNS" $(RUN_QEMU_OPTS) --timeout "$$BBMPROBE_TIMEOUT" \
		-- tests=bench "$$BBMPROBE_ARGS"

# Debian's U-Boot (u-boot-qemu) as QEMU virt's firmware; it runs a boot.scr that booti's bbmprobe.
run-uboot: image | deps
	@$(call refuse,run-uboot,GDB_PORT,only for make debug)
	@$(call refuse,run-uboot,BENCH_RUNS,only for make bench and make bench-layouts)
	@$(RUN_QEMU) --uboot --timeout "$$BBMPROBE_TIMEOUT" -- "$$BBMPROBE_ARGS"

# QEMU waits for gdb, with no timeout: a debugging session lasts as long as it needs.
debug: image | deps
	@$(call refuse,debug,TIMEOUT,a debugging session has no timeout)
	@$(call refuse,debug,BENCH_RUNS,only for make bench and make bench-layouts)
	@$(RUN_QEMU) --gdb --gdb-port "$$BBMPROBE_GDB_PORT" -- "$$BBMPROBE_ARGS"

# A fresh Debian bookworm root runs `make run` and `make test` from a clone of HEAD (scripts/check-fresh).
check-fresh:
	@scripts/check-fresh

# ---- tests ----------------------------------------------------------------------
# The plain-C parts of the firmware, built for the host as they are (mmu/ is host-buildable by design).
HOST_LIB_SRCS := boot/esr.c lib/bootargs.c lib/escape.c lib/tap.c lib/glob.c lib/cpuinfo.c lib/outcome.c \
	$(filter-out mmu/boot_map.c,$(wildcard mmu/*.c)) $(wildcard host/support/*.c)
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -DBBMPROBE_HOST -DPT_POOL_PAGES=$(PT_POOL_PAGES) -I. \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_TESTS := $(patsubst host/%.c,$(HOST_B)/%,$(wildcard host/test_*.c))
# test_model's capacity test fills the stale array from one PTE table (at most 511 orphans + 1).
HOST_CFLAGS_model := -DMODEL_STALE_MAX=256u
FUZZERS := $(patsubst host/%.c,build/fuzz/%,$(wildcard host/fuzz_*.c))

# A test that needs more than the library names it in HOST_EXTRA_<name> (sources, then libraries)
# and lists those sources as prerequisites of its own.
# The UART drivers against host/test_uarts.c's register fake (lib/mmio.h routes to it under BBMPROBE_HOST).
HOST_UART_SRCS := $(wildcard lib/uart_*.c)
HOST_EXTRA_uarts := $(HOST_UART_SRCS)
$(HOST_B)/test_uarts: $(HOST_UART_SRCS)
# The DTB intake's check against malformed blobs, on the host's libfdt (Debian's libfdt-dev, the
# same 1.6.1 as the target's libfdt.a).
HOST_EXTRA_dtb_check := lib/dtb_check.c -lfdt
$(HOST_B)/test_dtb_check: lib/dtb_check.c

$(HOST_B)/test_%: host/test_%.c $(HOST_LIB_SRCS) $(wildcard boot/*.h lib/*.h mmu/*.h host/support/*.h) | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_CFLAGS_$*) -o $@ $< $(HOST_LIB_SRCS) $(HOST_EXTRA_$*) -lcmocka

# The intake fuzzer also links the DTB queries, on the host's libfdt (Debian's libfdt-dev).
HOST_DTB_SRCS := lib/dtb.c lib/dtb_check.c
FUZZ_EXTRA_intake := $(HOST_DTB_SRCS) -lfdt
build/fuzz/fuzz_%: host/fuzz_%.c $(HOST_LIB_SRCS) $(HOST_DTB_SRCS) $(wildcard lib/*.h mmu/*.h host/support/*.h) | deps
	@mkdir -p $(dir $@)
	clang -std=gnu11 -O1 -g $(WARN) -DBBMPROBE_HOST -DPT_POOL_PAGES=$(PT_POOL_PAGES) -I. \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(HOST_LIB_SRCS) $(FUZZ_EXTRA_$*)

# Seeds for fuzz_intake: the bootargs cases and device trees (the Pi ones, and host/fuzz-seeds/*.dts);
# prop-len-wraps.dtb is virt-like.dts with its first property's length set to 0xfffffff4, on which
# libfdt 1.6.1's walks never end (lib/dtb_check.c refuses it); fuzz-found-hang.dtb is the input
# the fuzzer found hanging before that check.
FUZZ_SEEDS := build/fuzz/seeds-fuzz_intake
$(FUZZ_SEEDS): $(wildcard host/fuzz-seeds/*) $(wildcard platform/dts/*.dts) | deps
	@mkdir -p $@
	@cp host/fuzz-seeds/*.txt host/fuzz-seeds/*.dtb $@/
	@for f in host/fuzz-seeds/*.dts platform/dts/*.dts; do \
		dtc -q -W no-unit_address_vs_reg -I dts -O dtb -o $@/$$(basename $$f .dts).dtb $$f || exit 1; done
	@touch $@

# The firmware's boot-argument checks on the host, for the SD card (make sdcard).
BOOTARGS_CHECK_SRCS := host/bootargs_check.c lib/bootargs.c lib/escape.c lib/glob.c
$(HOST_B)/bootargs-check: $(BOOTARGS_CHECK_SRCS) lib/bootargs.h lib/escape.h lib/glob.h | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $(BOOTARGS_CHECK_SRCS)

host-test: $(HOST_TESTS) | deps
	@set -e; for t in $(HOST_TESTS); do echo "== $$t"; $$t; done

# A small pool (build/gcc-pool8) shows exhaustion as a harness error, not an erratum (pool.t).
integration-test: image $(B)/tests.list $(HOST_B)/bootargs-check $(B)/bbmprobe-virt-x0.elf $(BENCH_LAYOUT_IMAGES) | deps
	@$(MAKE) --no-print-directory PT_POOL_PAGES=8 image
	@BBMPROBE_BUILD=$(B) CASEMATE_CHECK="$(CASEMATE_CHECK)" prove -v --timer host/integration/*.t
	@[ -n "$(CASEMATE_CHECK)" ] || echo "== Casemate cross-check skipped: CASEMATE_CHECK is not set (docs/casemate.md)"

# ---- labs (docs/labs.md) ----------------------------------------------------------
# LAVA jobs for this build into build/lava/ (LAVA_URL: where the lab fetches the files; ARGS added).
lava-jobs: image | deps
	@scripts/lava-jobs --url "$${BBMPROBE_LAVA_URL:-file://$(abspath $(B))/}" --args "$$BBMPROBE_ARGS"

# LOGS="a.log b.log ...": their `# result` lines as build/report/results.jsonl and .csv, and the
# merged report (report.html, report.md, outcomes.png/.svg) in build/report/.
results:
	@test -n "$(LOGS)" || { echo 'make results LOGS="build/logs/virt-el1.log ..." (logs from run-qemu --log or a console)' >&2; exit 2; }
	@mkdir -p build/report
	@scripts/results --jsonl build/report/results.jsonl --csv build/report/results.csv $(LOGS)
	@echo build/report/results.jsonl; echo build/report/results.csv

report: results | deps
	@scripts/report --out build/report $(LOGS)

# The jobs checked with Debian's LAVA and no lab (also part of integration-test).
lava-check: image | deps
	@BBMPROBE_BUILD=$(B) prove -v --timer host/integration/lava.t

# Each fuzzer grows its corpus in build/fuzz/corpus-NAME, starting from build/fuzz/seeds-NAME if any;
# a crashing input is saved as build/fuzz/crash-*.
FUZZ_RUN = set -e; for f in $(FUZZERS); do n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
	seeds=build/fuzz/seeds-$$n; [ -d $$seeds ] || seeds=; \
	$$f -max_total_time=$(1) -timeout=$(FUZZ_INPUT_TIMEOUT) -artifact_prefix=build/fuzz/ $(2) \
		build/fuzz/corpus-$$n $$seeds

fuzz: $(FUZZERS) $(FUZZ_SEEDS) | deps
	@$(call FUZZ_RUN,$(FUZZ_SECONDS),-print_final_stats=1); done

fuzz-short: $(FUZZERS) $(FUZZ_SEEDS) | deps
	@$(call FUZZ_RUN,$(FUZZ_TEST_SECONDS),) >build/fuzz/$$n.log 2>&1 || { tail -40 build/fuzz/$$n.log; \
		echo "make fuzz-short: $$n failed; its input is saved in build/fuzz/ (crash-*, timeout-*, oom-* or leak-*)" >&2; exit 1; }; \
		tail -3 build/fuzz/$$n.log; done

test: | deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory host-test
	@$(MAKE) --no-print-directory fuzz-short
	@$(MAKE) --no-print-directory CC=clang image
	@$(MAKE) --no-print-directory integration-test

lint: | deps
	@echo "== layers, cppcheck, clang-tidy"
	$(Q)scripts/check-layers
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		-I. -DBBMPROBE_HOST --suppress=missingIncludeSystem boot lib mmu platform tests host
	$(Q)clang-tidy --quiet $(HOST_LIB_SRCS) $(HOST_UART_SRCS) $(wildcard host/test_*.c) host/bootargs_check.c -- \
		-std=gnu11 -DBBMPROBE_HOST -I.

clean:
	rm -rf build/gcc build/gcc-pool* build/clang build/clang-pool* build/host build/fuzz build/logs build/rpi3 build/rpi4 \
		build/lava build/lava-check build/report build/report-t build/kvm-t

-include $(TARGET_OBJS:.o=.d)
