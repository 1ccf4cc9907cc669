#!/usr/bin/env python3
"""CPython's exit status for function-command rows of tests/data/bad-inputs.tsv.

Reads records from stdin: LINENO NUL ARGC NUL ARG... (each NUL-terminated;
bytes decoded as Python decodes argv, with surrogateescape), calls
socket.FUNC(*args) the way tests/oracle.py does, and prints for each record
"LINENO STATUS EXCEPTION-LINE" with SPEC.md section 5's status (0 when
CPython does not raise).  sethostname is only ever called with arguments
that cannot be a valid host name.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import oracle  # noqa: E402


def records(data):
    parts = data.split(b"\0")
    i = 0
    while i + 1 < len(parts) and parts[i]:
        lineno, argc = parts[i].decode(), int(parts[i + 1])
        args = [os.fsdecode(p) for p in parts[i + 2:i + 2 + argc]]
        i += 2 + argc
        yield lineno, args


def main():
    for lineno, words in records(sys.stdin.buffer.read()):
        func, args, kwargs = oracle.parse_call(words)
        if func == "sethostname" and any(
                isinstance(a, (str, bytes)) and len(a) <= 64 for a in args):
            print(lineno, "skip", "sethostname with a plausible name")
            continue
        _, exc = oracle.python_call(func, args, kwargs)
        if exc is None:
            print(lineno, 0, "-")
        else:
            print(lineno, oracle.exit_status(exc), oracle.exception_line(exc))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
