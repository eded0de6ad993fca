#!/usr/bin/env python3
# Flatten the JSON of `kunit.py parse --json` into "suite.case<TAB>VERDICT"
# lines, one per KUnit case, for the check tally.
import json
import sys

VERDICT = {"PASS": "PASS", "SKIP": "SKIP"}


def walk(group, prefix):
    name = group.get("name", "")
    if name and name != "KUnit Test Group":
        prefix = f"{prefix}{name}."
    for case in group.get("test_cases", []):
        print(f"{prefix}{case['name']}\t{VERDICT.get(case['status'], 'FAIL')}")
    for sub in group.get("sub_groups", []):
        walk(sub, prefix)


with open(sys.argv[1]) as f:
    walk(json.load(f), "")
