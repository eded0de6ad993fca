#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Turn uvm_bench's raw figures into medians, ratios, a table and plots.

    bench-report.py DIR

reads DIR/raw.csv (scenario,variant,backend,run,metric,value,unit) and
DIR/machine.txt, writes DIR/summary.csv, DIR/table.md, DIR/targets.md and,
with gnuplot, DIR/fault-throughput.png and DIR/fork-latency.png.

The ratio is always uvm / native of the medians, whatever the unit; the
table says for each metric whether higher or lower is better.
"""
import csv
import os
import statistics
import subprocess
import sys

HIGHER_IS_BETTER = {"pages/s", "ops/s", "MiB/s", "KiB/io"}

# Scenario descriptions for the table, keyed by (scenario, variant prefix).
DESCRIPTION = {
    "zerofill": "zero-fill first touch, 128 MiB per worker (page_fault1)",
    "refault": "re-read 128 MiB after MADV_DONTNEED dropped the PTEs (shared)",
    "fork": "fork() with memory resident, child exits at once",
    "cow": "128 MiB private: child writes every page / parent writes while child lives",
    "munmap": "munmap of resident memory",
    "mmap1": "mmap+munmap untouched (mmap1)",
    "mremap": "mremap move of resident memory",
    "tlbflush": "write 1 MiB then MADV_DONTNEED, looped (tlb_flush1)",
    "shared": "256 MiB shared: forked writer, then forked reader",
    "overhead": "kernel memory per resident page (memcg slab + page tables)",
    "swap": "a memory cgroup at 128 MiB: Linux swap (native) and UVM swap "
            "(uvm) on identical virtio disks; seq: write 256 MiB, seq-read: "
            "read it back, rand: random reads and writes over 192 MiB, fork: "
            "512 MiB with half on swap at 256 MiB, the child reads it all; "
            "disk: the disk's O_DIRECT bandwidth",
}


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def summarise(rows):
    """{(scenario, variant, metric): {"unit": u, backend: [values]}}"""
    groups = {}
    order = []
    for r in rows:
        key = (r["scenario"], r["variant"], r["metric"])
        if key not in groups:
            groups[key] = {"unit": r["unit"]}
            order.append(key)
        groups[key].setdefault(r["backend"], []).append(float(r["value"]))
    return order, groups


def stats(vals):
    if not vals:
        return None
    return statistics.median(vals), min(vals), max(vals), len(vals)


def fmt(x):
    if x is None:
        return "-"
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 1e5:
        return f"{x:.3g}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def cell(s):
    if s is None:
        return "-"
    med, lo, hi, _ = s
    return f"{fmt(med)} ({fmt(lo)}–{fmt(hi)})"


def ratio(groups, key):
    g = groups.get(key)
    if not g:
        return None
    n, u = stats(g.get("native", [])), stats(g.get("uvm", []))
    if not n or not u or n[0] == 0:
        return None
    return u[0] / n[0]


def median(groups, key, backend):
    g = groups.get(key)
    s = stats(g.get(backend, [])) if g else None
    return s[0] if s else None


def targets(groups):
    """[(target, measured text, met: True/False/None)]"""
    out = []

    def add(what, value, text, ok):
        out.append((what, text if value is not None else "not measured",
                    ok if value is not None else None))

    r = ratio(groups, ("zerofill", "1proc", "throughput"))
    add("zero-fill throughput ≥ 1.0× native (1 process)", r,
        f"{fmt(r)}×" if r else "", r is not None and r >= 1.0)
    fork_keys = [k for k in groups if k[0] == "fork" and k[2] == "fork_ms"]
    big = max(fork_keys, key=lambda k: int(k[1].rstrip("M")), default=None)
    r = ratio(groups, big) if big else None
    add(f"fork with {big[1] if big else '1024M'} resident ≤ 0.5× native time",
        r, f"{fmt(r)}×" if r else "", r is not None and r <= 0.5)
    for v in ("child-seq", "child-rand"):
        r = ratio(groups, ("cow", v, "write_ms"))
        add(f"child COW-writing every page ({v}) ≤ 1.2× native time", r,
            f"{fmt(r)}×" if r else "", r is not None and r <= 1.2)
    mk = [k for k in groups if k[0] == "munmap"]
    r = ratio(groups, mk[0]) if mk else None
    add(f"munmap of {mk[0][1] if mk else '1024M'} ≤ 1.0× native time", r,
        f"{fmt(r)}×" if r else "", r is not None and r <= 1.0)
    sc = {}
    for be in ("native", "uvm"):
        one = median(groups, ("zerofill", "1thread", "throughput"), be)
        two = median(groups, ("zerofill", "2thread", "throughput"), be)
        sc[be] = two / one if one and two else None
    ok = sc["uvm"] is not None and sc["native"] is not None
    add("2-thread fault scaling ≥ native's", sc["uvm"] if ok else None,
        f"uvm {fmt(sc['uvm'])}×, native {fmt(sc['native'])}×" if ok else "",
        ok and sc["uvm"] >= sc["native"])
    ok_keys = [k for k in groups
               if k[0] == "overhead" and k[2] == "kernel_bytes_per_page"]
    m = median(groups, ok_keys[0], "uvm") if ok_keys else None
    n = median(groups, ok_keys[0], "native") if ok_keys else None
    add("≤ 48 bytes of kernel memory per resident page", m,
        f"{fmt(m)} B/page (native {fmt(n)})", m is not None and m <= 48)
    for key, what, want in (
            (("swap", "seq", "write_MiBps"), "swap-out throughput", 1.5),
            (("swap", "seq-read", "read_MiBps"), "sequential page-in", 1.0),
            (("swap", "rand", "rw_MiBps"), "random swap read/write", 1.0)):
        r = ratio(groups, key)
        add(f"{what} ≥ {want}× native", r, f"{fmt(r)}×" if r else "",
            r is not None and r >= want)
    m = median(groups, ("swap", "seq", "write_KiB_per_io"), "uvm")
    n = median(groups, ("swap", "seq", "write_KiB_per_io"), "native")
    add("average swap write ≥ 64 KiB", m, f"{fmt(m)} KiB (native {fmt(n)})",
        m is not None and m >= 64)
    for key, raw in ((("swap", "seq", "write_MiBps"), "raw_write_MiBps"),
                     (("swap", "seq-read", "read_MiBps"), "raw_read_MiBps")):
        m = median(groups, key, "uvm")
        d = median(groups, ("swap", "disk", raw), "native")
        f = m / d if m and d else None
        add(f"{key[1]} within 80 % of the disk's raw bandwidth", f,
            f"{fmt(100 * f)} % ({fmt(m)} of {fmt(d)} MiB/s)" if f else "",
            f is not None and f >= 0.8)
    m = median(groups, ("refault", "seq", "faults_per_page"), "uvm")
    n = median(groups, ("refault", "seq", "faults_per_page"), "native")
    add("sequential re-read faults per page ≤ 0.25", m,
        f"{fmt(m)} (native {fmt(n)})", m is not None and m <= 0.25)
    return out


def gnuplot(script, cwd):
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True,
                       cwd=cwd, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        err = getattr(e, "stderr", "") or str(e)
        sys.exit(f"bench-report.py: gnuplot failed: {err.strip()}")


def plots(d, groups):
    # fault throughput by worker layout
    zf = [v for v in ("1proc", "2proc", "1thread", "2thread")
          if ("zerofill", v, "throughput") in groups]
    if zf:
        with open(os.path.join(d, "fault-throughput.dat"), "w") as f:
            f.write("# variant native_median native_min native_max "
                    "uvm_median uvm_min uvm_max (pages/s)\n")
            for v in zf:
                g = groups[("zerofill", v, "throughput")]
                n, u = stats(g.get("native", [])), stats(g.get("uvm", []))
                f.write(f"{v} {n[0]} {n[1]} {n[2]} {u[0]} {u[1]} {u[2]}\n")
        gnuplot("""
set terminal pngcairo size 800,500 noenhanced
set output 'fault-throughput.png'
set title 'Zero-fill fault throughput, 128 MiB per worker (median, min-max)'
set ylabel 'pages per second'
set yrange [0:*]
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set key top left
plot 'fault-throughput.dat' using 2:3:4:xtic(1) title 'native', \\
     '' using 5:6:7 title 'uvm'
""", d)
    fk = sorted((k for k in groups if k[0] == "fork" and k[2] == "fork_ms"),
                key=lambda k: int(k[1].rstrip("M")))
    if fk:
        with open(os.path.join(d, "fork-latency.dat"), "w") as f:
            f.write("# MiB native_median native_min native_max "
                    "uvm_median uvm_min uvm_max (ms)\n")
            for k in fk:
                n = stats(groups[k].get("native", []))
                u = stats(groups[k].get("uvm", []))
                f.write(f"{k[1].rstrip('M')} {n[0]} {n[1]} {n[2]} "
                        f"{u[0]} {u[1]} {u[2]}\n")
        gnuplot("""
set terminal pngcairo size 800,500 noenhanced
set output 'fork-latency.png'
set title 'fork() latency against resident size (median, min-max)'
set xlabel 'resident MiB'
set ylabel 'ms'
set logscale xy
set key top left
set grid
plot 'fork-latency.dat' using 1:2:3:4 with yerrorlines title 'native', \\
     '' using 1:5:6:7 with yerrorlines title 'uvm'
""", d)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench-report.py DIR")
    d = sys.argv[1]
    order, groups = summarise(load(os.path.join(d, "raw.csv")))
    machine = {}
    mpath = os.path.join(d, "machine.txt")
    if os.path.exists(mpath):
        for line in open(mpath):
            k, _, v = line.rstrip("\n").partition("=")
            machine[k] = v

    with open(os.path.join(d, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "variant", "metric", "unit",
                    "native_median", "native_min", "native_max",
                    "uvm_median", "uvm_min", "uvm_max", "runs",
                    "uvm_over_native", "better"])
        for key in order:
            g = groups[key]
            n, u = stats(g.get("native", [])), stats(g.get("uvm", []))
            r = ratio(groups, key)
            w.writerow(list(key) + [g["unit"]] +
                       (list(n[:3]) if n else ["", "", ""]) +
                       (list(u[:3]) if u else ["", "", ""]) +
                       [max(n[3] if n else 0, u[3] if u else 0),
                        f"{r:.4f}" if r else "",
                        "higher" if g["unit"] in HIGHER_IS_BETTER
                        else "lower"])

    lines = []
    lines.append(f"Kernel {machine.get('kernel', '?')}, "
                 f"{machine.get('runs', '?')} runs per backend, "
                 f"THP {machine.get('thp', '?')}, "
                 f"ASLR {machine.get('aslr', '?')}; "
                 f"QEMU {machine.get('accel', '?')} on "
                 f"{machine.get('host_cpu', '?')}; "
                 f"commit {machine.get('commit', '?')}, "
                 f"{machine.get('date', '?')}. "
                 "Cells: median (min–max).")
    lines.append("")
    lines.append("| scenario | variant | metric | native | uvm | uvm/native "
                 "| better |")
    lines.append("|---|---|---|---|---|---|---|")
    last = None
    for key in order:
        g = groups[key]
        n, u = stats(g.get("native", [])), stats(g.get("uvm", []))
        r = ratio(groups, key)
        name = key[0] if key[0] != last else ""
        last = key[0]
        lines.append(f"| {name} | {key[1]} | {key[2]} ({g['unit']}) | "
                     f"{cell(n)} | {cell(u)} | "
                     f"{fmt(r) + '×' if r else '-'} | "
                     f"{'higher' if g['unit'] in HIGHER_IS_BETTER else 'lower'} |")
    lines.append("")
    lines.append("Scenarios:")
    for s, text in DESCRIPTION.items():
        if any(k[0] == s for k in order):
            lines.append(f"- `{s}`: {text}")
    with open(os.path.join(d, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")

    t = ["| target | measured | met |", "|---|---|---|"]
    for what, text, ok in targets(groups):
        t.append(f"| {what} | {text} | "
                 f"{'yes' if ok else 'no' if ok is False else '-'} |")
    with open(os.path.join(d, "targets.md"), "w") as f:
        f.write("\n".join(t) + "\n")

    plots(d, groups)


if __name__ == "__main__":
    main()
