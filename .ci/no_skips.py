"""Fail when a JUnit report shows a skipped test or no test at all (CI must run everything, browsers included)."""

import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()  # noqa: S314 - our own pytest output
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
tests = sum(int(s.get("tests", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
failures = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
print(f"{sys.argv[1]}: {tests} tests, {skipped} skipped, {failures} failed")
if tests == 0 or skipped or failures:
    sys.exit(1)
