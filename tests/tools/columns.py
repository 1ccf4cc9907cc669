"""columns.py FILE...: the lines wider than 80 columns (tabs of 8) that
style(9) does not excuse, as FILE:LINE: TEXT.  The one excuse is a
message kept whole for grep: a string literal so long that, alone on a
continuation line at its statement's indent plus four, it would still pass
80 columns.  Exits 1 when it printed any."""
import re
import sys

STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            text = line.rstrip("\n").expandtabs(8)
            if len(text) <= 80:
                continue
            indent = len(text) - len(text.lstrip())
            longest = max((len(s) for s in STRING.findall(text)), default=0)
            if indent + 4 + longest > 80:
                continue
            print("%s:%d: %s" % (path, n, text.strip()))
            bad = 1
sys.exit(bad)
