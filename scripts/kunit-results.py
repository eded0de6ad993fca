#!/usr/bin/env python3
"""KUnit results of a guest kernel log, one line per case, for the tally.

    kunit-results.py KUNIT_PY DMESG_LOG OUTDIR

The log holds one top-level KTAP document per KUnit run: the kernel's own at
boot (usually empty, "1..0") and one per test module loaded. Each non-empty
document is handed to the kernel's `kunit.py parse --json`; its cases are
printed as "suite.case<TAB>PASS|FAIL|SKIP". A document kunit.py calls failed
without a failing case (a crash, a truncated log) adds a "parse" failure.
Exit status 0 if every case passed or was skipped.
"""
import json
import os
import re
import subprocess
import sys

TS = re.compile(r"^\[\s*\d+\.\d+\] ?")
VERDICT = {"PASS": "PASS", "SKIP": "SKIP"}


def documents(lines):
    docs = []
    for line in lines:
        line = TS.sub("", line.rstrip("\n"))
        if line == "KTAP version 1":
            docs.append([line])
        elif docs:
            docs[-1].append(line)
    return docs


def walk(group, prefix, out):
    name = group.get("name", "")
    if name and name != "KUnit Test Group":
        prefix = f"{prefix}{name}."
    for case in group.get("test_cases", []):
        out.append((f"{prefix}{case['name']}", VERDICT.get(case["status"], "FAIL")))
    for sub in group.get("sub_groups", []):
        walk(sub, prefix, out)


def main():
    kunit_py, log, outdir = sys.argv[1:4]
    with open(log, errors="replace") as f:
        docs = [d for d in documents(f) if len(d) > 1 and d[1] != "1..0"]
    ok = True
    for i, doc in enumerate(docs):
        ktap = os.path.join(outdir, f"kunit-{i}.ktap")
        js = os.path.join(outdir, f"kunit-{i}.json")
        with open(ktap, "w") as f:
            f.write("\n".join(doc) + "\n")
        with open(os.path.join(outdir, "kunit.log"), "a") as f:
            rc = subprocess.run([sys.executable, kunit_py, "parse", f"--json={js}", ktap],
                                stdout=f, stderr=subprocess.STDOUT).returncode
        cases = []
        with open(js) as f:
            walk(json.load(f), "", cases)
        for name, verdict in cases:
            print(f"{name}\t{verdict}")
            ok = ok and verdict != "FAIL"
        if rc != 0 and all(v != "FAIL" for _, v in cases):
            print(f"parse-{i}\tFAIL")
            ok = False
    return 0 if ok else 1


sys.exit(main())
