#!/usr/bin/env bash
# Secondary CPUs (platform/smp.c): every CPU the DTB lists comes up with PSCI CPU_ON (virt, U-Boot) or
# the spin table (the Pis: rpi3.t, rpi4.t), is listed in the banner, and runs smp/online; a CPU held
# back with cpu_fail=N is reported by MPIDR and its tests skip; an exception on a secondary fails the
# test it happened in, is reported with that CPU's registers, and the run goes on.
. "$(dirname "$0")/lib.sh"
plan 118

# expect_cpus_online N HOW: banner lines "# cpu I: ... online" for CPUs 0..N-1 (1 test point).
expect_cpus_online() {
	local n=$1 how=$2 got
	got=$(echo "$out" | grep -cE "^# cpu [1-9]: MPIDR 0x8000000[1-7], Arm Cortex-A[0-9]+ r[0-9]p[0-9] \(MIDR 0x[0-9a-f]{8}\), online \($how\)$")
	[ "$got" = $((n - 1)) ] && echo "$out" | grep -qE '^# cpu 0: MPIDR 0x80000000, Arm Cortex-A72 .*, online \(boot CPU\)$'
	ok $? "$name_prefix: the banner lists CPU 0 and $((n - 1)) secondaries online ($how; got $got)"
}

for n in 2 4; do
	name_prefix="virt SMP=$n default suite"
	boot "smp$n" --smp "$n" -- iters=100
	expect_line "^# cpus: $n, secondaries start with PSCI CPU_ON$" "the DTB's $n CPUs, PSCI"
	expect_cpus_online "$n" 'PSCI CPU_ON \(hvc\)'
	expect_line "^ok [0-9]+ - smp/online: $((n - 1)) secondar(y|ies) checked: MMU on over the shared tables, faults in its own slot$" \
		"smp/online runs on every secondary"
	# Remote TLB state: the model allows old on CPU 1 only after CPU 0's local TLBI. QEMU keeps a TLB per
	# vCPU and drops CPU 1's entries only for the broadcast TLBI: old is seen with the local one (every
	# iteration here, since nothing else evicts it), never with the broadcast one.
	expect_line '^# allowed on cpu 1 by the architecture \(model\): new,old$' "the model allows old on CPU 1 after a local TLBI"
	expect_line '^# allowed on cpu 1 by the architecture \(model\): new$' "and only new after the broadcast TLBI"
	expect_line '^ok [0-9]+ - smp/remote-tlbi-local: old on cpu 1 in [1-9][0-9]* of 100; allowed new,old$' \
		"QEMU shows old on CPU 1 with the local TLBI"
	expect_line '^ok [0-9]+ - smp/remote-tlbi-broadcast: old on cpu 1 in 0 of 100; allowed new$' \
		"and only new with the broadcast TLBI"
	expect_line '^# CPU 1 loads 0x[0-9a-f]+ after CPU 0.s BBM with tlbi vmalle1 \(local\); 100 iterations in [0-9]+ ms \([0-9]+ per s\)$' \
		"the iteration rate is printed"
	expect_line '^ok [0-9]+ - smp/mp-bbm1: old on cpu 1 in 0 of 100; allowed new$' \
		"MP.BBM1: after the flag, dsb; isb, CPU 1 sees only new, as the model requires"
	expect_line '^ok [0-9]+ - smp/mp-rt1: old on cpu 1 in 0 of 100; allowed new$' \
		"MP.RT1: live change, broadcast TLBI, flag: CPU 1 sees only new, as the model requires"
	# Observers: CPU 1..n-1 load VA, VA+4K, VA+2M-4K while CPU 0 remaps; per-CPU, per-offset, per-phase
	# histograms against the model's set for the phase. After the fixed path's make only new; after the
	# 4.14 make the stale table pointer also allows fault-t3 and a conflict (QEMU shows only new).
	last=$((n - 1))
	expect_line "^# cpu $last VA\\+0x0 +before +n=[1-9][0-9]* old=[0-9]+:allowed; model allows old$" \
		"observer CPU $last sees old before the break, as the model allows"
	expect_line "^# cpu $last VA\\+0x0 +after +n=[1-9][0-9]* new=[0-9]+:allowed; model allows new,fault-t3,tlb-conflict$" \
		"after the 4.14 make the model also allows the stale table pointer's fault-t3"
	expect_line "^# cpu $last VA\\+0x0 +after +n=[1-9][0-9]* new=[0-9]+:allowed; model allows new$" \
		"after the fixed path's make (BBM, TLBI, DSB) the model allows only new"
	expect_line "^# cpu $last VA\\+0x1000 +window +n=[1-9][0-9]* fault-t2=[0-9]+:allowed fault-t3=[0-9]+:allowed; model allows new,fault-t2,fault-t3$" \
		"in the fixed path's window faults at level 2 and 3 are seen and allowed"
	expect_line "^# cpu $last prfm: [1-9][0-9]* at the three offsets, 0 faulted " "the observers' PRFMs never fault"
	expect_line '^# QEMU: single-threaded TCG runs one vCPU at a time' "the run says what single-threaded TCG can show"
	expect_line '^# CPU 0 remaps 0x[0-9a-f]+ by linux-fixed .* 100 times in [0-9]+ ms \([0-9]+ per s\); '"$last"' observer CPU\(s\)' \
		"the rate and the observer count are printed"
	# The report's re-walk done by CPU 1: after 4.14 either CPU's walk cache may hold the old table pointer.
	expect_line '^# cpu 1 witness fault-t3: L0..L1 from memory, L2 table pointer 0x[0-9a-f]+ from the walk cache \(stale since write #2\), L3\[0\]=0 from memory$' \
		"the model's witness for CPU 1's fault-t3 after the 4.14 change"
	expect_line '^ok [0-9]+ - smp/seed-rewalk-other-cpu-linux-4.14: new on cpu 0 in 100, on cpu 1 in 100 of 100$' \
		"4.14 with CPU 1's re-walk: QEMU shows new on both CPUs (allowed)"
	expect_line '^# cpu 1: allowed by the architecture \(model\): new$' "after the fixed path only new on CPU 1"
	for v in linux-4.14 linux-5.x; do
		expect_line "^ok [0-9]+ - smp/observers-$v: [1-9][0-9]* loads: before [1-9][0-9]*, window [0-9]+, after [1-9][0-9]*, straddle [0-9]+; forbidden 0$" \
			"smp/observers-$v: loads in every phase, none forbidden"
	done
	expect_clean_run
done

name_prefix="virt SMP=8"
boot smp8 --smp 8 -- tests=smp
expect_cpus_online 8 'PSCI CPU_ON \(hvc\)'
expect_line '^ok [0-9]+ - smp/online: 7 secondaries checked' "smp/online on all 7 secondaries"
expect_closing_lines 0

# Multi-threaded TCG (one host thread per vCPU: true concurrency): the same tests hold.
name_prefix="virt SMP=2 TCG=multi"
boot smp-mttcg --smp 2 --tcg multi -- tests=smp iters=20
expect_status 0
expect_no_line '^not ok ' "every smp test passes under multi-threaded TCG"
expect_line '^ok [0-9]+ - smp/mp-bbm1: old on cpu 1 in 0 of 20; allowed new$' "MP.BBM1 runs"
expect_line '^ok [0-9]+ - smp/observers-linux-5.x: [1-9][0-9]* loads: .*; forbidden 0$' "the observers run concurrently"
# A secondary that hangs under multi-threaded TCG: the same watchdog, CPU 1 lost, later tests skip.
name_prefix="TCG=multi inject=secondary-hang"
boot smp-mttcg-hang --smp 2 --tcg multi -- tests=faults/secondary-hang,smp inject=secondary-hang timeout=2
expect_status 1
expect_line '^not ok 1 - faults/secondary-hang$' "the test fails"
expect_line '^ok [0-9]+ - smp/observers-linux-4.14 # SKIP needs 2 CPUs online: CPU 1 \(MPIDR 0x80000001\) lost$' \
	"later tests skip, naming the lost CPU"
expect_closing_lines 1
name_prefix="--tcg bogus"
boot smp-tcg-bad --tcg bogus
expect_status 2

name_prefix="U-Boot SMP=2"
boot smp-uboot --uboot --smp 2 -- tests=smp
expect_cpus_online 2 'PSCI CPU_ON \(hvc\)'
expect_line '^ok [0-9]+ - smp/online: 1 secondary checked' "smp/online on the secondary U-Boot left to PSCI"
expect_closing_lines 0

# The hook: CPU 2 is never released. The bounded wait ends, the banner says why by MPIDR, smp/online
# runs on the others and names the one it left out, and the run ends normally.
name_prefix="cpu_fail=2 of 4"
boot smp-fail2 --smp 4 -- tests=smp,selftest/counter cpu_fail=2
expect_line '^# cpu 2: MPIDR 0x2, MIDR unknown, failed to start \(boot argument cpu_fail=2: never released; not there after [0-9]+ ms\)$' \
	"CPU 2 reported by MPIDR as failed to start"
expect_line '^# cpu 3: MPIDR 0x80000003, .*, online ' "CPU 3 still comes up"
expect_line '^# left out: CPU 2 \(MPIDR 0x2\) failed to start: ' "smp/online names the CPU it left out"
expect_line '^ok [0-9]+ - smp/online: 2 secondaries checked' "smp/online runs on CPUs 1 and 3"
expect_status 0
expect_closing_lines 0

name_prefix="cpu_fail=1 of 2"
boot smp-fail1 --smp 2 -- tests=smp,selftest/counter cpu_fail=1
expect_line '^ok [0-9]+ - selftest/counter$' "other tests run"
expect_line '^ok [0-9]+ - smp/online # SKIP needs 2 CPUs online: CPU 1 \(MPIDR 0x1\) failed to start$' \
	"smp/online skips, naming the CPU by MPIDR"
expect_status 0
expect_closing_lines 0

name_prefix="SMP=1"
boot smp1 -- tests=smp cpu_fail=3
expect_line '^# warning: cpu_fail=3 names no CPU \(1 listed\); nothing was held back$' "a cpu_fail= naming no CPU is said, not ignored"
expect_line '^# cpu 0: MPIDR 0x80000000, .*, online \(boot CPU\)$' "the banner lists the boot CPU"
expect_line '^ok [0-9]+ - smp/online # SKIP needs 2 CPUs online: the DTB lists 1 \(QEMU virt: SMP=2\)$' "smp/online skips"
expect_line '^ok [0-9]+ - smp/observers-linux-4.14 # SKIP needs 2 CPUs online: the DTB lists 1' "the observers skip with the reason"

# An undefined instruction on CPU 1: reported with CPU 1's registers (by CPU0, which owns the console),
# the test fails, CPU0 goes on, and CPU 1 serves the next test (smp/online) as before.
name_prefix="inject=secondary-undef"
boot smp-undef --smp 2 -- tests=faults/secondary-undef,smp inject=secondary-undef
expect_status 1
expect_line '^# EXCEPTION: synchronous, current EL with SP_ELx \(vector 4, unexpected, on a secondary CPU\)$' \
	"the exception is reported"
expect_line '^#   on CPU 1, MPIDR 0x80000001$' "tagged with the secondary's index and MPIDR"
expect_line '^#   EC 0x00 unknown reason$' "as an undefined instruction"
expect_line '^#   backtrace \(elf addresses\): 0x[0-9a-f]+( <- 0x[0-9a-f]+)+' "with a backtrace on CPU 1's stack"
expect_line '^# FAIL tests/cpus.c:[0-9]+: CPU 1 \(MPIDR 0x80000001\) took an unexpected exception$' "the test fails"
expect_no_line 'takes no work after its exception' "CPU 1 takes work again afterwards"
expect_line '^not ok 1 - faults/secondary-undef$' "not ok"
expect_line '^ok [0-9]+ - smp/online: 1 secondary checked' "the run goes on, CPU 1 still online"
expect_closing_lines 1

# CPU 1 never returns: CPU0, waiting for it, is ended by its own watchdog (timeout=2), CPU 1 is lost,
# and every later test that needs it skips, naming it; the run ends normally.
name_prefix="inject=secondary-hang"
boot smp-hang --smp 2 -- tests=faults/secondary-hang,smp inject=secondary-hang timeout=2
expect_status 1
expect_line '^# WATCHDOG: the test ran past its deadline of 2 s; stopped where it was:$' "the watchdog on CPU0 ends the wait"
expect_line '^not ok 1 - faults/secondary-hang$' "the test fails"
expect_line '^ok [0-9]+ - smp/online # SKIP needs 2 CPUs online: CPU 1 \(MPIDR 0x80000001\) lost$' \
	"later tests skip, naming the lost CPU"
expect_closing_lines 1
finish
