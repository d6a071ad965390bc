"""RESULTS.md as blocks: render one section, and splice re-run sections into an existing file.

``python benchmarks/run.py --only spacetime`` re-runs one section; it must not throw away the
other sections of the last full run. :func:`splice` replaces, in the existing markdown, the block
of each re-run section (found by its ``<!-- section: name -->`` marker, else by its heading) and
its rows of the *Targets* table (found by the benchmark name), adds the ones that are new (before
the hand-written *Findings*), recounts the "N targets met, M missed" line and keeps every other
line as it was. Each spliced block says when, how and at which load it was measured.
"""

from __future__ import annotations

import re

from _harness import Section, markdown_table, verdict

MARKER = "<!-- section: {} -->"
_SUMMARY = re.compile(r"^\d+ targets met, \d+ missed")


def section_lines(name: str, s: Section, rerun: str = "") -> list[str]:
    """The markdown block of section ``s`` (registry name ``name``), with its marker."""
    lines = [MARKER.format(name), f"## {s.title}", ""]
    if rerun:
        lines += [rerun, ""]
    lines += [s.intro, "", f"Load average before: {s.load}; section took {s.seconds:.0f} s.", ""]
    lines += [markdown_table(s.headers, s.rows), ""]
    lines += [f"- {note}" for note in s.notes] + ([""] if s.notes else [])
    for title, prof in s.profiles.items():
        lines += [f"Profile: {title}", "", "```", *prof, "```", ""]
    return lines


def target_rows(sections: list[Section]) -> list[list[str]]:
    return [
        [t.benchmark, t.target, t.measured, verdict(t.passed)] for s in sections for t in s.targets
    ]


def summary_line(n_met: int, n_missed: int) -> str:
    return f"{n_met} targets met, {n_missed} missed" + (
        " (diagnosis in *Findings* below)." if n_missed else "."
    )


def _cells(line: str) -> list[str]:
    return line.strip()[2:-2].split(" | ")


def _block_span(lines: list[str], name: str, title: str) -> tuple[int, int] | None:
    """Start and end (exclusive) of the block of section ``name``: marker, else its heading."""
    marker = MARKER.format(name)
    start = next((i for i, ln in enumerate(lines) if ln == marker), None)
    if start is None:
        start = next((i for i, ln in enumerate(lines) if ln == f"## {title}"), None)
        if start is None:
            return None
    end = start + 1
    while end < len(lines) and not (
        (lines[end].startswith("## ") and lines[end - 1] != marker)
        or lines[end].startswith("<!-- section: ")
    ):
        end += 1
    return start, end


def _splice_targets(lines: list[str], new_rows: list[list[str]]) -> list[str]:
    head = lines.index("## Targets")
    first = head + 1
    while not lines[first].startswith("| "):
        first += 1
    last = first + 2  # header and separator
    while last < len(lines) and lines[last].startswith("| "):
        last += 1
    added = markdown_table(["benchmark", "target", "measured", "pass"], new_rows).splitlines()[2:]
    by_name = dict(zip((r[0] for r in new_rows), added, strict=True))
    rows = []  # a re-measured target keeps its place; a new one goes to the end
    for ln in lines[first + 2 : last]:
        name = _cells(ln)[0]
        rows.append(by_name.pop(name, ln))
    rows += list(by_name.values())
    met = sum(_cells(r)[-1] == verdict(True) for r in rows)
    missed = sum(_cells(r)[-1] == verdict(False) for r in rows)
    out = lines[: first + 2] + rows + lines[last:]
    for i in range(first + 2 + len(rows), len(out)):
        if _SUMMARY.match(out[i]):
            out[i] = summary_line(met, missed)
            break
    return out


def splice(existing: str, named: list[tuple[str, Section]], rerun: str) -> str:
    """``existing`` RESULTS.md with the blocks and target rows of ``named`` replaced or added."""
    lines = existing.splitlines()
    lines = _splice_targets(lines, target_rows([s for _, s in named]))
    for name, s in named:
        block = section_lines(name, s, rerun)
        span = _block_span(lines, name, s.title)
        if span is None:  # a new section: before the hand-written findings, else at the end
            at = next((i for i, ln in enumerate(lines) if ln.startswith("## Findings")), len(lines))
            lines[at:at] = block
        else:
            lines[span[0] : span[1]] = block
    return "\n".join(lines) + "\n"
