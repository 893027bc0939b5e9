#!/usr/bin/env bash
# scripts/run-qemu --accel kvm (docs/labs.md): the QEMU command it builds, what it refuses, what a
# host without KVM for Arm guests gets (status 77, with the reason), and, through a stand-in QEMU
# that lists KVM but runs TCG, that a KVM run boots without semihosting and takes the firmware's
# status from the EXIT line. Nothing here has run on arm64 hardware (docs/labs.md).
. "$(dirname "$0")/lib.sh"
plan 29
work="$top/build/kvm-t"
rm -rf "$work"
mkdir -p "$work/bin"
real_qemu=$(command -v qemu-system-aarch64)

# skip DESCRIPTION REASON: a test point that cannot run here
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

name_prefix="kvm --print-cmd"
out=$("$top/scripts/run-qemu" --build "$build" --log "$work/print.log" --accel kvm --smp 2 --print-cmd \
	-- tests=selftest iters=5 2>&1)
status=$?
expect_status 0
[ "$(echo "$out" | wc -l)" = 1 ] && [ ! -e "$work/print.log" ]
ok $? "$name_prefix: prints one line and runs nothing"
expect_line '^qemu-system-aarch64 -M virt,gic-version=host -cpu host -smp 2 ' "virt with the host's GIC and CPU"
expect_line ' -accel kvm ' "KVM, not TCG"
expect_line " -kernel $build/kernel8.img " "the image at EL1 through -kernel"
expect_line ' -append tests=selftest\\ iters=5$' "the boot arguments as given, nothing added"
expect_no_line 'semihosting' "no semihosting anywhere (it needs TCG)"

name_prefix="tcg --print-cmd"
out=$("$top/scripts/run-qemu" --build "$build" --print-cmd -- iters=5 2>&1)
status=$?
expect_status 0
expect_line ' -accel tcg,thread=single ' "the default stays single-threaded TCG"
expect_line ' -append iters=5\\ semihosting -semihosting-config enable=on,target=native$' "with semihosting"

# What --accel kvm cannot do is refused before QEMU starts, with the reason.
for c in "--el 2|enters at EL1" "--cpu cortex-a72|runs on the host's own CPU" "--board rpi4|runs QEMU virt only" \
	"--uboot|--uboot is not supported" "--accel xen|--accel must be tcg or kvm"; do
	opts=${c%%|*} msg=${c#*|}
	name_prefix="kvm $opts"
	# shellcheck disable=SC2086
	out=$("$top/scripts/run-qemu" --build "$build" --log "$work/refused.log" --accel kvm $opts -- iters=5 2>&1)
	status=$?
	[ "$status" = 2 ] && echo "$out" | grep -q -- "$msg"
	ok $? "$name_prefix: refused with status 2: '$msg'"
done

# This host: a real KVM run where QEMU has KVM for Arm guests and /dev/kvm is ours, else status 77.
name_prefix="kvm on this $(uname -m) host"
boot kvm-host --accel kvm -- tests=selftest/counter
if "$real_qemu" -accel help 2>/dev/null | grep -qx kvm && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	expect_status 0
	expect_line '^# entry: EL1, running at EL1' "KVM entered the image at EL1"
	expect_line '^EXIT: STATUS=0$' "and the run ended with its EXIT line"
else
	expect_status 77
	expect_line '^run-qemu: --accel kvm needs (an arm64 Linux host|read and write access to /dev/kvm)' "says why"
	expect_no_line '^TAP version' "and does not start QEMU"
fi

# A stand-in for an arm64 host's QEMU: lists KVM, then runs the same command under TCG (host CPU
# -> cortex-a72, host GIC -> GICv3), recording the arguments and its own status.
cat >"$work/bin/qemu-system-aarch64" <<EOF
#!/usr/bin/env bash
if [ "\$*" = "-accel help" ]; then printf 'Accelerators supported in QEMU binary:\ntcg\nkvm\n'; exit 0; fi
printf '%s\n' "\$@" >"$work/fake.args"
[ -n "\${FAKE_QEMU_SILENT:-}" ] && exit 0
args=()
for a in "\$@"; do
	case "\$a" in
	kvm) args+=(tcg,thread=single) ;;
	host) args+=(cortex-a72) ;;
	virt,gic-version=host) args+=(virt,gic-version=3) ;;
	*) args+=("\$a") ;;
	esac
done
"$real_qemu" "\${args[@]}"
s=\$?
echo \$s >"$work/fake.status"
exit \$s
EOF
chmod +x "$work/bin/qemu-system-aarch64"
fake_boot() { # fake_boot NAME [boot args]: boot through the stand-in with --accel kvm
	name_prefix="kvm stand-in $1"
	shift
	rm -f "$work/fake.status" "$work/fake.args"
	PATH="$work/bin:$PATH" boot "kvm-$name_prefix" --accel kvm -- "$@"
}
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	fake_boot pass tests=selftest/counter
	expect_status 0
	grep -qx -- '-accel' "$work/fake.args" && grep -qx kvm "$work/fake.args" && ! grep -q semihosting "$work/fake.args"
	ok $? "$name_prefix: QEMU was asked for KVM and no semihosting"
	expect_line '^# bootargs: "tests=selftest/counter"$' "the firmware got the arguments without 'semihosting'"
	expect_line '^# exit: PSCI SYSTEM_OFF$' "and leaves through PSCI, as under KVM"
	expect_closing_lines 0

	# QEMU ends with 0 after PSCI SYSTEM_OFF whatever the firmware reported: the EXIT line decides.
	fake_boot bad-args bogus=1
	expect_status 2
	[ "$(cat "$work/fake.status" 2>/dev/null)" = 0 ]
	ok $? "$name_prefix: although QEMU itself ended with 0"
	fake_boot panic tests=selftest/nested-panic
	expect_status 3

	FAKE_QEMU_SILENT=1 fake_boot silent tests=selftest/counter
	expect_status 125
else
	for d in "status 0" "QEMU asked for KVM" "bootargs" "PSCI" "SUMMARY" "EXIT line" "nothing after EXIT" \
		"bad-args status 2" "QEMU ended with 0" "panic status 3" "no EXIT line: 125"; do
		skip "kvm stand-in: $d" "no read and write access to /dev/kvm here"
	done
fi
finish
