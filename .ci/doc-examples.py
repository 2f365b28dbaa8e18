#!/usr/bin/env python3
"""Runs the shell examples of the project's Markdown files as written and checks their documented answers.

A runnable example is a ```bash block right after the line <!-- example: run by CI -->. The blocks of the
files named on the command line run in order, in one bash session from the project root (so a variable an
example sets, such as ID, is there for the next), against the platform the caller started.

Inside a block, each command (as many lines as bash needs to parse it: continuations, loops, functions) runs
on its own and must exit 0. A comment right after a command that starts with "# →" is its documented answer:
fragments separated by " … ", each of which must appear in what the command printed, in that order. An answer
that starts with "after a few seconds:" is awaited: the command is run again, once a second, for up to
90 seconds, until its output matches (use it only for reads).

Usage: .ci/doc-examples.py README.md docs/identity.md
"""
import os
import select
import subprocess
import sys
import tempfile
import time

MARKER = "<!-- example: run by CI -->"
ANSWER = "# →"
AWAITED = "after a few seconds:"
COMMAND_TIMEOUT = 60
AWAIT_FOR = 90


def blocks(path):
    """The runnable blocks of a Markdown file: (line number of the block, its lines)."""
    lines = open(path, encoding="utf-8").read().splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```bash"):
            sys.exit(f"{path}:{i + 1}: the marker must be followed by a ```bash block")
        body = []
        for j in range(i + 2, len(lines)):
            if lines[j].startswith("```"):
                break
            body.append((j + 1, lines[j]))
        else:
            sys.exit(f"{path}:{i + 2}: the block does not end")
        found.append(body)
    return found


def parses(text):
    return subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True).returncode == 0


def commands(path, body):
    """Split a block into commands, each with its documented answer (or None)."""
    result, pending, start = [], [], None
    for number, line in body:
        stripped = line.strip()
        if not pending and stripped.startswith(ANSWER):
            if not result or result[-1]["answer"] is not None:
                sys.exit(f"{path}:{number}: an answer with no command before it")
            result[-1]["answer"] = stripped[len(ANSWER):].strip()
            continue
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if not pending:
            start = number
        pending.append(line)
        text = "\n".join(pending)
        if not line.rstrip().endswith("\\") and parses(text):
            result.append({"where": f"{path}:{start}", "text": text, "answer": None})
            pending = []
    if pending:
        sys.exit(f"{path}:{start}: the command does not parse")
    return result


class Session:
    """One bash process; each command runs in it (so what it sets stays set), its output in a file."""

    def __init__(self):
        self.bash = subprocess.Popen(["bash"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.out = tempfile.mkdtemp(prefix="doc-examples-")
        self.count = 0

    def run(self, text):
        """Define the command as a function (its assignments stay global) and call it."""
        self.count += 1
        self.bash.stdin.write(f"__example_{self.count}() {{\n{text}\n}}\n")
        return self.rerun()

    def rerun(self):
        """Call the last command again; its exit status and everything it printed."""
        output = os.path.join(self.out, f"{self.count}.out")
        self.bash.stdin.write(f"__example_{self.count} >{output} 2>&1; echo \"__done $?\"\n")
        self.bash.stdin.flush()
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.bash.stdout], [], [], remaining)[0]:
                self.bash.kill()
                raise TimeoutError(f"no end within {COMMAND_TIMEOUT} s")
            line = self.bash.stdout.readline()
            if not line:
                raise RuntimeError("bash ended")
            if line.startswith("__done "):
                break
        with open(output, encoding="utf-8", errors="replace") as f:
            return int(line.split()[1]), f.read()


def matches(answer, output):
    at = 0
    for fragment in answer.split(" … "):
        found = output.find(fragment.strip(), at)
        if found < 0:
            return False
        at = found + len(fragment.strip())
    return True


def main(paths):
    session, failures, ran = Session(), [], 0
    for path in paths:
        for body in blocks(path):
            for command in commands(path, body):
                ran += 1
                first = command["text"].splitlines()[0]
                answer = command["answer"]
                awaited = answer is not None and answer.startswith(AWAITED)
                expected = answer[len(AWAITED):].strip() if awaited else answer
                try:
                    status, output = session.run(command["text"])
                    deadline = time.monotonic() + AWAIT_FOR
                    while awaited and not (status == 0 and matches(expected, output)) and time.monotonic() < deadline:
                        time.sleep(1)
                        status, output = session.rerun()
                except (TimeoutError, RuntimeError) as e:
                    failures.append(f"{command['where']}: {first}\n    {e}")
                    print(f"✘ {command['where']}: {first}\n    {e}")
                    session = Session()
                    continue
                ok = status == 0 and (expected is None or matches(expected, output))
                shown = output if len(output) <= 600 else output[:600] + f"… ({len(output)} characters)"
                print(f"{'✔' if ok else '✘'} {command['where']}: {first}")
                print("    " + shown.strip().replace("\n", "\n    "))
                if not ok:
                    why = f"exit status {status}" if status != 0 else f"the answer lacks: {expected}"
                    failures.append(f"{command['where']}: {first}\n    {why}")
    print(f"\n{ran} example commands run, {len(failures)} failed")
    for failure in failures:
        print("  " + failure)
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
