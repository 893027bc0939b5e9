# bbmprobe: `make run` boots the default suite on QEMU virt; `make test` runs every test.
# Both start with scripts/deps, which installs what is missing. See README.md.

# ---- user knobs -------------------------------------------------------------
BOARD ?= virt
# QEMU -cpu; empty: the board's core (cortex-a72 on virt and rpi4, cortex-a53 on rpi3).
CPU ?=
SMP ?= 1
MEM ?= 512M
EL ?= 1
ARGS ?=
TIMEOUT ?= 120
FALLBACK_BOARD ?= virt
PT_POOL_PAGES ?= 128
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 15

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
LDFLAGS_TC := -static-pie -Wl,--no-warn-rwx-segments
endif

# The table pool (mmu/pool.h): the boot map needs at most 7 pages before the DTB is read (root, two
# L1 and four L2 tables for the image and the DTB); fewer could not even print why.
ifeq ($(shell [ "$(PT_POOL_PAGES)" -ge 7 ] 2>/dev/null && echo ok),)
$(error PT_POOL_PAGES=$(PT_POOL_PAGES): give a number of 4 KiB table pages, at least 7 (the boot map's worst case before the DTB is read))
endif
# Another pool size builds elsewhere: its image is a different firmware.
B := build/$(TOOLCHAIN)$(if $(filter-out 128,$(PT_POOL_PAGES)),-pool$(PT_POOL_PAGES))
PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
LIBFDT := build/deps/libfdt
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN := -Wall -Wextra -Werror
CFLAGS := $(TARGET_FLAGS) -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin-printf \
	-fpie -mstrict-align -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-stack-protector \
	-ftls-model=local-exec -nostdinc -isystem $(PICOLIBC)/include -isystem $(LIBFDT)/include \
	-isystem $(shell $(CC) $(TARGET_FLAGS) -print-file-name=include) -I. \
	-I$(B)/generated -DFALLBACK_BOARD='"$(FALLBACK_BOARD)"' -DPT_POOL_PAGES=$(PT_POOL_PAGES) \
	-MMD -MP
ASFLAGS := $(TARGET_FLAGS) -g -I. -Iboot -MMD -MP
LDFLAGS := $(TARGET_FLAGS) $(LDFLAGS_TC) -nostdlib -Wl,--no-dynamic-linker -Wl,-z,norelro \
	-Wl,-z,notext -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-T linker/bbmprobe.ld -Wl,-Map,$(B)/bbmprobe.map
# Compiler runtime: the cross gcc's libgcc for both toolchains (Debian ships no aarch64 compiler-rt builtins).
LIBS := $(LIBFDT)/lib/libfdt.a $(PICOLIBC)/lib/libc.a $(shell $(CROSS)gcc -print-libgcc-file-name)

TARGET_SRCS := $(wildcard boot/*.S boot/*.c lib/*.c platform/*.c platform/boards/*.c mmu/*.c tests/*.c main/*.c)
TARGET_OBJS := $(patsubst %,$(B)/%.o,$(TARGET_SRCS))

IMAGE := $(B)/kernel8.img
ELF := $(B)/bbmprobe.elf

.DELETE_ON_ERROR:
.PHONY: all deps image run run-uboot bench sdcard test host-test integration-test fuzz debug lint clean
all: image

deps:
	@scripts/deps

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

$(B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC[$(TOOLCHAIN)] $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS[$(TOOLCHAIN)] $<")
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(ELF): $(TARGET_OBJS) linker/bbmprobe.ld $(LIBFDT)/lib/libfdt.a
	@$(if $(Q),echo "  LD[$(TOOLCHAIN)] $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(TARGET_OBJS) -Wl,--start-group $(LIBS) -Wl,--end-group
	@scripts/check-image $@

$(IMAGE): $(ELF)
	$(Q)$(OBJCOPY) -O binary $< $@

# QEMU loads an ELF at its physical addresses and enters it at the highest EL (EL3 with
# secure=on); wrap the flat image 2 MiB into virt RAM, clear of the 1 MiB DTB QEMU puts at the RAM base.
$(B)/bbmprobe-virt-el3.elf: $(IMAGE)
	$(Q)cd $(dir $@) && $(CROSS)ld -o $(notdir $@) -b binary --section-start=.data=0x40200000 \
		-e 0x40200000 -z noexecstack $(notdir $(IMAGE))

# QEMU virt with a chosen x0 (scripts/run-qemu --x0): a shim loads x0 from 0x40170000, where
# run-qemu's -device loader writes it, and jumps to the image at 0x40200000 (as in the EL3 ELF).
$(B)/bbmprobe-virt-x0.elf: $(IMAGE) host/support/x0-shim.S
	$(Q)$(CROSS)as -o $(B)/x0-shim.o host/support/x0-shim.S
	$(Q)cd $(dir $@) && $(CROSS)ld -o $(notdir $@) --section-start=.text=0x40190000 -e 0x40190000 \
		--section-start=.data=0x40200000 -z noexecstack x0-shim.o -b binary $(notdir $(IMAGE))

$(LIBFDT)/lib/libfdt.a:
	@scripts/deps

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
$(B)/%.dtb: platform/dts/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -W no-unit_address_vs_reg -I dts -O dtb -o $@ $<

# ---- SD card for a real Raspberry Pi 4, or 3 with BOARD=rpi3 (docs/raspberry-pi-4.md, -3.md) --------
SDCARD_BOARD := $(if $(filter rpi3,$(BOARD)),rpi3,rpi4)
SDCARD := build/$(SDCARD_BOARD)/sdcard.img
sdcard: deps image
	@scripts/mk-sdcard --board $(SDCARD_BOARD) --build $(B) --out $(SDCARD) -- $(ARGS)

# ---- running ------------------------------------------------------------------
run: deps image
	@scripts/run-qemu --board $(BOARD) $(if $(CPU),--cpu $(CPU)) --smp $(SMP) --mem $(MEM) --el $(EL) \
		--timeout $(TIMEOUT) --build $(B) -- $(ARGS)

# The bench group (tests/bench.c) on QEMU virt: ns per seed cycle per policy, baseline and ratio.
bench: deps image
	@scripts/run-qemu --board virt $(if $(CPU),--cpu $(CPU)) --smp $(SMP) --mem $(MEM) --el $(EL) \
		--timeout $(TIMEOUT) --build $(B) -- tests=bench $(ARGS)

# Debian's U-Boot (u-boot-qemu) as QEMU virt's firmware; it runs a boot.scr that booti's bbmprobe.
run-uboot: deps image
	@scripts/run-qemu --board virt --uboot $(if $(CPU),--cpu $(CPU)) --smp $(SMP) --mem $(MEM) --el $(EL) \
		--timeout $(TIMEOUT) --build $(B) -- $(ARGS)

debug: deps image
	@scripts/run-qemu --board $(BOARD) $(if $(CPU),--cpu $(CPU)) --smp $(SMP) --mem $(MEM) --el $(EL) \
		--build $(B) --gdb -- $(ARGS)

# ---- tests ----------------------------------------------------------------------
HOST_B := build/host
# The plain-C parts of the firmware, built for the host as they are (mmu/ is host-buildable by design).
HOST_LIB_SRCS := boot/esr.c lib/bootargs.c lib/escape.c lib/tap.c lib/glob.c lib/cpuinfo.c lib/outcome.c \
	$(filter-out mmu/boot_map.c,$(wildcard mmu/*.c)) $(wildcard host/support/*.c)
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -DBBMPROBE_HOST -DPT_POOL_PAGES=$(PT_POOL_PAGES) -I. \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_TESTS := $(patsubst host/%.c,$(HOST_B)/%,$(wildcard host/test_*.c))
FUZZERS := $(patsubst host/%.c,build/fuzz/%,$(wildcard host/fuzz_*.c))

$(HOST_B)/test_%: host/test_%.c $(HOST_LIB_SRCS) $(wildcard boot/*.h lib/*.h mmu/*.h host/support/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(HOST_LIB_SRCS) -lcmocka

# The UART drivers against host/test_uarts.c's register fake (lib/mmio.h routes to it under BBMPROBE_HOST).
HOST_UART_SRCS := $(wildcard lib/uart_*.c)
$(HOST_B)/test_uarts: host/test_uarts.c $(HOST_LIB_SRCS) $(HOST_UART_SRCS) $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(HOST_LIB_SRCS) $(HOST_UART_SRCS) -lcmocka

# The intake fuzzer also links the DTB queries, on the host's libfdt (Debian's libfdt-dev).
FUZZ_EXTRA_intake := lib/dtb.c -lfdt
build/fuzz/fuzz_%: host/fuzz_%.c $(HOST_LIB_SRCS) lib/dtb.c $(wildcard lib/*.h mmu/*.h host/support/*.h)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -O1 -g $(WARN) -DBBMPROBE_HOST -DPT_POOL_PAGES=$(PT_POOL_PAGES) -I. \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(HOST_LIB_SRCS) $(FUZZ_EXTRA_$*)

# Seeds for fuzz_intake: the bootargs cases and device trees (the Pi ones, and host/fuzz-seeds/*.dts).
FUZZ_SEEDS := build/fuzz/seeds-fuzz_intake
$(FUZZ_SEEDS): $(wildcard host/fuzz-seeds/*) $(wildcard platform/dts/*.dts)
	@mkdir -p $@
	@cp host/fuzz-seeds/*.txt $@/
	@for f in host/fuzz-seeds/*.dts platform/dts/*.dts; do \
		dtc -q -W no-unit_address_vs_reg -I dts -O dtb -o $@/$$(basename $$f .dts).dtb $$f || exit 1; done
	@touch $@

host-test: $(HOST_TESTS)
	@set -e; for t in $(HOST_TESTS); do echo "== $$t"; $$t; done

# A small pool (build/gcc-pool8) shows exhaustion as a harness error, not an erratum (pool.t).
integration-test: image $(B)/bbmprobe-virt-x0.elf
	@$(MAKE) --no-print-directory PT_POOL_PAGES=8 image
	@BBMPROBE_BUILD=$(B) prove -v --timer host/integration/*.t

# Each fuzzer grows its corpus in build/fuzz/corpus-NAME, starting from build/fuzz/seeds-NAME if any;
# a crashing input is saved as build/fuzz/crash-*.
FUZZ_RUN = set -e; for f in $(FUZZERS); do n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
	seeds=build/fuzz/seeds-$$n; [ -d $$seeds ] || seeds=; \
	$$f -max_total_time=$(1) -artifact_prefix=build/fuzz/ $(2) build/fuzz/corpus-$$n $$seeds

fuzz: $(FUZZERS) $(FUZZ_SEEDS)
	@$(call FUZZ_RUN,$(FUZZ_SECONDS),-print_final_stats=1); done

fuzz-short: $(FUZZERS) $(FUZZ_SEEDS)
	@$(call FUZZ_RUN,$(FUZZ_TEST_SECONDS),) 2>&1 | tail -3; done

test: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory host-test
	@$(MAKE) --no-print-directory fuzz-short
	@$(MAKE) --no-print-directory CC=clang image
	@$(MAKE) --no-print-directory integration-test

lint:
	@echo "== layers, cppcheck, clang-tidy"
	$(Q)scripts/check-layers
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		-I. -DBBMPROBE_HOST --suppress=missingIncludeSystem boot lib mmu platform tests host
	$(Q)clang-tidy --quiet $(HOST_LIB_SRCS) $(HOST_UART_SRCS) $(wildcard host/test_*.c) -- -std=gnu11 -DBBMPROBE_HOST -I.

clean:
	rm -rf build/gcc build/gcc-pool* build/clang build/clang-pool* build/host build/fuzz build/logs build/rpi3 build/rpi4

-include $(TARGET_OBJS:.o=.d)
