"""bench_doc.py - how the bench scripts share docs/benchmarks.md: each one owns some `## `
sections of it, found by their headings, and replaces only those, keeping everything else
(bench.py the head of the file, bench_stacks.py and bench_hotplug.py one section each).
"""


def _heading_at(text, title):
    """Offset of the line that starts with `title`, or -1."""
    if text.startswith(title):
        return 0
    i = text.find("\n" + title)
    return i + 1 if i >= 0 else -1


def replace_section(path, md, title, owned=(), first=False):
    """Puts `md` in place of the file's section headed `title`, together with the `## `
    sections right after it whose headings start with one of `owned`; the part ends at the
    first other `## ` heading, which is kept with all that follows. Without `title` in the
    file, `md` goes at its end (at its start when `first`). A missing file is created."""
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        old = ""
    start = _heading_at(old, title)
    if start < 0:
        if first:
            new = md + ("\n" + old.lstrip("\n") if old.strip() else "")
        else:
            new = old.rstrip("\n") + ("\n\n" if old.strip() else "") + md
    else:
        end = start + len(title)
        while True:
            nxt = old.find("\n## ", end)
            if nxt < 0:
                end = len(old)
                break
            if not (owned and old.startswith(tuple(owned), nxt + 1)):
                end = nxt
                break
            end = nxt + 4
        new = old[:start] + md + old[end:]
    with open(path, "w") as f:
        f.write(new)
