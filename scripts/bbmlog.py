"""Read bbmprobe console logs: the runs in them, their banner facts and their `# result` lines.

Used by scripts/results and scripts/report. A log is whatever reached a console: a file from
scripts/run-qemu --log (its first line is the QEMU command), a board capture with a bootloader's
text around it, or several runs one after another; or a LAVA job log (lava-run's output, or the
server's job log, a YAML list of the same records), whose target lines are the console and whose
"Boot command:" line names QEMU's options. Each run starts at `TAP version 13`.

A `# result` line is read as key=value tokens, in any order and with keys this code does not know
(docs/output.md has the current set), so a newer firmware's line still reads. One record per result
line: the run's facts (RUN_FIELDS), then the line's own keys, where the line's `cpu=` (a MIDR) is
named `midr`. The histogram rows above a result line say which outcomes the firmware counts as
hazards and which as forbidden; `hazards` and `forbidden` sum those rows (see derive()).
"""
import json
import re

# The run's facts, first in every record, in this order.
RUN_FIELDS = ["log", "run", "version", "board", "model", "cpu", "midr", "entry_el", "el", "accel",
              "machine", "uboot", "iters", "seed", "exit_status", "granule"]
# Derived per result line (derive()).
DERIVED_FIELDS = ["hazards", "forbidden", "rate"]
# Outcome names in the firmware's order (lib/outcome.c); others found in a line are kept too.
OUTCOMES = ["new", "old", "fault-t0", "fault-t1", "fault-t2", "fault-t3", "fault-af", "fault-perm",
            "tlb-conflict", "poison", "other"]
# Verdicts that mean no hazard was seen, in either generation of the format.
QUIET_VERDICTS = {"no-hazard", "clean", "safe", "hazard-possible"}
DEFAULT_ITERS, DEFAULT_SEED = 1000, 1

_BANNER = [
    ("version", re.compile(r"^# bbmprobe (\S+)")),
    ("board", re.compile(r"^# board: (?P<board>\S+)(?: \([^)]*\))?(?:, model: (?P<model>.*))?$")),
    ("cpu", re.compile(r"^# cpu: (?P<cpu>.*?) \(MIDR (?P<midr>0x[0-9a-fA-F]+)")),
    ("entry", re.compile(r"^# entry: EL(?P<entry_el>\d), running at EL(?P<el>\d)")),
    ("bootargs", re.compile(r'^# bootargs: "(.*)"$')),
    ("granule", re.compile(r"^# granule: (?P<granule>4K|16K|64K) \(TCR_EL1\.TG0\)")),
]
_ROW = re.compile(r"^#\s+(?P<outcome>[a-z][a-z0-9-]*)\s+(?P<count>\d+)\s+\d+\.\d+%\s+(?P<what>.*)$")
_EXIT = re.compile(r"^EXIT: STATUS=(\d+)$")
_RESULT = "# result "


def number(value):
    """An int for a decimal token, else the text as it was."""
    return int(value) if re.fullmatch(r"\d+", value) else value


def parse_result_line(line):
    """The key=value tokens of a `# result` line, in order; words without '=' are left out."""
    fields = {}
    for token in line[len(_RESULT):].split():
        key, eq, value = token.partition("=")
        if eq and key:
            fields[key] = number(value)
    return fields


def _bootargs(text):
    """iters and seed from the banner's bootargs: the words after the last lone "--", else all."""
    words = text.split()
    if "--" in words:
        words = words[len(words) - words[::-1].index("--"):]
    facts = {}
    for w in words:
        key, eq, value = w.partition("=")
        if eq and key in ("iters", "seed") and value.isdigit():
            facts[key] = int(value)
    return facts


def _runner(line):
    """Facts from a QEMU command line (run-qemu's first log line, LAVA's boot command): the
    accelerator (QEMU's default for an Arm guest on another host is TCG), machine, U-Boot."""
    words = line.split()
    facts = {"uboot": "-bios" in words, "accel": "kvm" if "-enable-kvm" in words else "tcg"}
    for opt, key in (("-accel", "accel"), ("-M", "machine"), ("-machine", "machine")):
        if opt in words and words.index(opt) + 1 < len(words):
            facts[key] = words[words.index(opt) + 1].split(",")[0]
    return facts


def _lava_record(line):
    """A LAVA log record ({"dt": ..., "lvl": ..., "msg": ...}, maybe as a YAML list item), or None."""
    text = line[2:] if line.startswith("- {") else line
    if not text.startswith('{"dt"'):
        return None
    try:
        rec = json.loads(text)
    except ValueError:
        import yaml  # pylint: disable=import-outside-toplevel  # LAVA writes some records as YAML only
        try:
            rec = yaml.safe_load(text)
        except yaml.YAMLError:
            return None
    return rec if isinstance(rec, dict) else None


def console_lines(path):
    """The console lines of a log, without line ends; a LAVA log gives its target messages (with
    the quotes LAVA escapes restored) and its QEMU boot command as a run-qemu line."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            rec = _lava_record(line)
            if rec is None:
                yield line
            elif rec.get("lvl") == "target" and isinstance(rec.get("msg"), str):
                yield rec["msg"].replace('\\"', '"').rstrip("\r")
            elif isinstance(rec.get("msg"), str) and rec["msg"].startswith("Boot command: "):
                yield "# run-qemu: " + rec["msg"][len("Boot command: "):].replace('\\"', '"')


def derive(record, rows):
    """hazards, forbidden and rate for a record, from the histogram rows printed above its line.

    rows maps outcome -> the row's "architecture" column ("allowed", "allowed, hazard", "FORBIDDEN",
    ...). Without rows (a log cut short, a quiet verdict level): no hazard for a verdict that says
    none was seen, else every outcome but `new`; forbidden from the `allowed=` set when the line has one.
    """
    n = record.get("n") if isinstance(record.get("n"), int) else 0
    counts = {k: v for k, v in record.items() if k in OUTCOMES and isinstance(v, int)}
    if rows:
        hazards = sum(counts.get(o, 0) for o, what in rows.items() if "hazard" in what and "FORBIDDEN" not in what)
        forbidden = sum(counts.get(o, 0) for o, what in rows.items() if "FORBIDDEN" in what)
    else:
        allowed = str(record.get("allowed", ""))
        allowed_set = set(allowed.split(",")) if allowed and allowed != "none" else None
        if allowed_set is not None and "poison" not in allowed_set:
            forbidden = sum(v for o, v in counts.items() if o not in allowed_set)
        else:
            forbidden = 0
        if record.get("verdict") in QUIET_VERDICTS:
            hazards = 0
        else:
            hazards = max(0, n - counts.get("new", 0) - forbidden)
    record["hazards"] = hazards
    record["forbidden"] = forbidden
    record["rate"] = round(hazards / n, 6) if n else 0.0
    return record


class Run:
    """One run: its facts and the records of its result lines."""

    def __init__(self, log, index, runner):
        # granule: 4K unless the banner says otherwise (logs from before granule= ran at 4K).
        self.facts = {"log": log, "run": index, "iters": DEFAULT_ITERS, "seed": DEFAULT_SEED,
                      "accel": "", "machine": "", "uboot": False, "granule": "4K", **runner}
        self.records = []
        self.rows = {}
        self.tests = 0

    def line(self, line):
        for name, rx in _BANNER:
            m = rx.match(line)
            if not m:
                continue
            if name == "version":
                self.facts["version"] = m.group(1)
            elif name == "bootargs":
                self.facts.update(_bootargs(m.group(1)))
            else:
                self.facts.update({k: (int(v) if k in ("entry_el", "el") else v)
                                   for k, v in m.groupdict().items() if v is not None})
            return
        m = _ROW.match(line)
        if m:
            self.rows[m.group("outcome")] = m.group("what")
            return
        if line.startswith(_RESULT):
            fields = parse_result_line(line)
            if "cpu" in fields:
                fields["midr"] = fields.pop("cpu")
            self.records.append((fields, self.rows))
            self.rows = {}
            return
        if re.match(r"^(not )?ok \d+ ", line):
            self.tests += 1
            self.rows = {}
            return
        m = _EXIT.match(line)
        if m:
            self.facts["exit_status"] = int(m.group(1))

    def results(self):
        """One dict per result line: run facts first (RUN_FIELDS order), then the line's keys."""
        out = []
        for fields, rows in self.records:
            record = {k: self.facts.get(k, "") for k in RUN_FIELDS}
            for k, v in fields.items():
                record[k] = v  # the line's own word wins (board, midr, version, seed)
            out.append(derive(record, rows))
        return out


def read_runs(path):
    """The runs in the log at path, in order."""
    runs, runner = [], {}
    for line in console_lines(path):
        if line.startswith("# run-qemu: ") and "qemu-system-" in line:
            runner = _runner(line[len("# run-qemu: "):])
        elif line == "TAP version 13":
            runs.append(Run(str(path), len(runs) + 1, runner))
        elif runs:
            runs[-1].line(line)
    return runs


def read_results(paths):
    """Every result record of every run of every log; and the runs themselves."""
    runs = [run for p in paths for run in read_runs(p)]
    return [r for run in runs for r in run.results()], runs


def columns(records):
    """CSV columns: the run's facts, the line's keys in first-seen order, then the derived ones."""
    cols = list(RUN_FIELDS)
    for r in records:
        for k in r:
            if k not in cols and k not in DERIVED_FIELDS:
                cols.append(k)
    return cols + DERIVED_FIELDS
