"""Kring against vanilla Pelican on the same articles: `invoke bench` / `make bench`.

Every build runs in its own process (benchmarks/run_one.py); the two tools
alternate, run after run, so a busy moment on the machine hits both. Wall
time is measured around the child, peak memory is the largest resident set
size of the child or any process it waited for (os.wait4); the child also
reports its own peak and its largest helper's (Kring's forked writers and
Pagefind), so the table shows which one it was. Per corpus and tool, one run is:

1. full build: output and cache removed first;
2. rebuild after changing nothing;
3. rebuild after editing one article (a paragraph appended; undone afterwards);
4. Kring only: the same edit in the live server (`make serve`'s Rebuilder, one
   process that stays up), timed inside it until the pages are written and
   until the search index, which the live server updates in the background,
   is in place.

Medians over the runs go to benchmarks/results/<name>.md and .json and are
printed. Corpora: TWiR (../shared/corpora/twir, copied to a temporary folder
so the edit never touches the shared files; left out with a message on a
clone without ../shared) and the synthetic magazine of benchmarks/synthetic.py
at 1,000, 3,000 and 10,000 articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
RESULTS = HERE / "results"
TWIR = ROOT.parent / "shared" / "corpora" / "twir" / "content"
sys.path.insert(0, str(HERE))

import run_one  # noqa: E402
import synthetic  # noqa: E402

TOOLS = ("vanilla", "kring")
FIGURES = ("full", "noop", "edit")
# Issue #12's targets: full build vs vanilla, edit rebuilds vs Kring's own full build, peak memory of the
# largest process vs vanilla's (and at most 1 GB at 10k articles), 10k/1k growth.
TARGETS = {"full": 1.0, "edit_own": 0.25, "live_own": 0.10, "growth": 10.0, "memory": 2.0, "memory_10k_mb": 1000.0}


@dataclass
class Corpus:
    name: str
    content: Path  # what Kring reads
    articles: Path  # what vanilla Pelican reads (the same article files)
    edit: Path  # the article edited for the "one edit" rebuild
    twir: bool = False


@dataclass
class Sample:
    seconds: float  # wall clock
    peak_mb: float
    cpu_seconds: float  # user + system, the child and the processes it waited for
    own_mb: float | None = None  # peak of the build process itself
    helpers_mb: float | None = None  # peak of its largest helper process (forked writers, Pagefind)


@dataclass
class Result:
    corpus: str
    samples: dict = field(default_factory=dict)  # (tool, figure) -> [Sample]
    pages: dict = field(default_factory=dict)  # tool -> html pages written
    errors: dict = field(default_factory=dict)  # tool -> message
    live: dict = field(default_factory=dict)  # Kring in the live server: pages_seconds / search_seconds -> [s]

    def median(self, tool: str, figure: str, what: str = "seconds") -> float | None:
        found = self.samples.get((tool, figure))
        return statistics.median(getattr(s, what) for s in found) if found else None


def run_build(tool: str, corpus: Corpus, output: Path, cache: Path) -> Sample:
    content = corpus.articles if tool == "vanilla" else corpus.content
    cmd = [sys.executable, str(HERE / "run_one.py"), tool, str(content), str(output), str(cache)]
    if corpus.twir:
        cmd.append("--twir")
    memory = output.parent / f"{tool}-memory.json"
    env = dict(os.environ, KRING_BENCH_MEMORY=str(memory))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    # wait4 gives this child's own peak memory (and its children's, if larger).
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read()
    proc.stderr.close()
    if proc.returncode:
        raise RuntimeError(f"{tool} build of {corpus.name} failed:\n{stderr[-2000:]}")
    split = json.loads(memory.read_text(encoding="utf-8"))
    return Sample(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, split["own_mb"], split["helpers_mb"])


def count_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def one_run(tool: str, corpus: Corpus, result: Result, scratch: Path, full_only: bool = False) -> None:
    output, cache = scratch / f"{tool}-output", scratch / f"{tool}-cache"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    samples = {"full": run_build(tool, corpus, output, cache)}
    result.pages[tool] = count_pages(output)
    if full_only:
        result.samples.setdefault((tool, "full"), []).append(samples["full"])
        return
    samples["noop"] = run_build(tool, corpus, output, cache)
    original = corpus.edit.read_text(encoding="utf-8")
    try:
        corpus.edit.write_text(original + run_one.EDIT_TEXT, encoding="utf-8")
        samples["edit"] = run_build(tool, corpus, output, cache)
    finally:
        corpus.edit.write_text(original, encoding="utf-8")
    for figure, sample in samples.items():
        result.samples.setdefault((tool, figure), []).append(sample)
    if tool == "kring":
        for figure, seconds in live_rebuild(corpus, output, cache).items():
            result.live.setdefault(figure, []).append(seconds)


def live_rebuild(corpus: Corpus, output: Path, cache: Path) -> dict:
    """Kring's rebuild after one edit in the live server (`make serve`), timed inside the process."""
    report = output.parent / "live.json"
    cmd = [sys.executable, str(HERE / "run_one.py"), "kring-live", str(corpus.content), str(output), str(cache),
           "--edit", str(corpus.edit), "--report", str(report)] + (["--twir"] if corpus.twir else [])
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise RuntimeError(f"live rebuild of {corpus.name} failed:\n{done.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def bench_corpus(corpus: Corpus, runs: int, scratch: Path, full_only: bool = False) -> Result:
    result = Result(corpus.name)
    for r in range(runs):
        order = TOOLS if r % 2 == 0 else TOOLS[::-1]
        for tool in order:
            if tool in result.errors:
                continue
            print(f"  {corpus.name}: run {r + 1}/{runs}, {tool}", flush=True)
            try:
                one_run(tool, corpus, result, scratch, full_only)
            except RuntimeError as exc:
                result.errors[tool] = str(exc)
                print(exc, file=sys.stderr)
    return result


def synthetic_corpus(n: int) -> Corpus:
    name = f"synthetic-{n // 1000}k"
    folder = WORK / name
    content = folder / "content"
    if not (folder / "community.sqlite").is_file():  # written last: the corpus is complete
        shutil.rmtree(folder, ignore_errors=True)
        synthetic.generate(n, folder)
    edit = sorted((content / "articles").rglob("*.md"))[n // 2]
    return Corpus(name, content, content / "articles", edit)


def twir_present() -> bool:
    """A clone has no ../shared: the TWiR part is left out with a message, the synthetic corpora still run."""
    if TWIR.is_dir():
        return True
    print(f"No TWiR corpus at {TWIR}: benchmarking the synthetic corpora only. To include it, put the "
          "content/ folder of rust-lang/this-week-in-rust there (or pass --no-twir to silence this).",
          file=sys.stderr, flush=True)
    return False


def twir_corpus(scratch: Path) -> Corpus:
    content = scratch / "twir"
    shutil.copytree(TWIR, content)
    edit = sorted(content.glob("*.markdown"))[-1]
    return Corpus("twir", content, content, edit, twir=True)


# --- the report ---------------------------------------------------------------


def _fmt(value, unit=""):
    return "–" if value is None else f"{value:.2f}{unit}"


def _ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def _verdict(ratio, target):
    if ratio is None:
        return "–"
    return "met" if ratio <= target else "missed"


def table(results: list[Result], runs: int) -> tuple[str, dict]:
    rows = ["| corpus | figure | Pelican | Kring | Kring/Pelican | target | |", "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    summary = {}
    for res in results:
        v, k = (lambda f, w="seconds": res.median("vanilla", f, w)), (lambda f, w="seconds": res.median("kring", f, w))
        full_ratio = _ratio(k("full"), v("full"))
        edit_own = _ratio(k("edit"), k("full"))
        mem_ratio = _ratio(k("full", "peak_mb"), v("full", "peak_mb"))
        live = {f: statistics.median(found) for f, found in res.live.items() if found}
        live_own = _ratio(live.get("pages_seconds"), k("full"))
        if res.corpus == "synthetic-10k":
            memory_target = f"≤ {TARGETS['memory_10k_mb']:.0f} MB"
            memory_verdict = _verdict(k("full", "peak_mb"), TARGETS["memory_10k_mb"])
        else:
            memory_target, memory_verdict = f"≤ {TARGETS['memory']}× Pelican", _verdict(mem_ratio, TARGETS["memory"])
        rows += [
            f"| {res.corpus} | full build (s) | {_fmt(v('full'))} | {_fmt(k('full'))} | {_fmt(full_ratio, '×')} "
            f"| ≤ 1.0× Pelican | {_verdict(full_ratio, TARGETS['full'])} |",
            f"| {res.corpus} | rebuild, one article edited (s) | {_fmt(v('edit'))} | {_fmt(k('edit'))} "
            f"| {_fmt(_ratio(k('edit'), v('edit')), '×')} | ≤ 0.25× Kring full: {_fmt(edit_own, '×')} "
            f"| {_verdict(edit_own, TARGETS['edit_own'])} |",
            f"| {res.corpus} | rebuild in the live server (make serve), one article edited: pages served (s) | – "
            f"| {_fmt(live.get('pages_seconds'))} | | ≤ {TARGETS['live_own']}× Kring full: {_fmt(live_own, '×')} "
            f"| {_verdict(live_own, TARGETS['live_own'])} |",
            f"| {res.corpus} | … and the search index updated (s) | – | {_fmt(live.get('search_seconds'))} "
            f"| | {_fmt(_ratio(live.get('search_seconds'), k('full')), '×')} of Kring full | |",
            f"| {res.corpus} | full build, CPU time (s) | {_fmt(v('full', 'cpu_seconds'))} | {_fmt(k('full', 'cpu_seconds'))} "
            f"| {_fmt(_ratio(k('full', 'cpu_seconds'), v('full', 'cpu_seconds')), '×')} | | |",
            f"| {res.corpus} | rebuild, nothing changed (s) | {_fmt(v('noop'))} | {_fmt(k('noop'))} "
            f"| {_fmt(_ratio(k('noop'), v('noop')), '×')} | | |",
            f"| {res.corpus} | peak memory, full build (MB) | {_fmt(v('full', 'peak_mb'))} | {_fmt(k('full', 'peak_mb'))} "
            f"| {_fmt(mem_ratio, '×')} | {memory_target} | {memory_verdict} |",
            f"| {res.corpus} | peak memory: build process / largest helper (MB) "
            f"| {_fmt(v('full', 'own_mb'))} / {_fmt(v('full', 'helpers_mb'))} "
            f"| {_fmt(k('full', 'own_mb'))} / {_fmt(k('full', 'helpers_mb'))} | {_fmt(_ratio(k('full', 'own_mb'), v('full', 'own_mb')), '×')} | | |",
            f"| {res.corpus} | HTML pages written | {res.pages.get('vanilla', '–')} | {res.pages.get('kring', '–')} "
            f"| {_fmt(_ratio(res.pages.get('kring'), res.pages.get('vanilla')), '×')} | | |",
        ]
        summary[res.corpus] = {
            "median_seconds": {f"{t}_{f}": res.median(t, f) for t in TOOLS for f in FIGURES},
            "median_cpu_seconds": {f"{t}_{f}": res.median(t, f, "cpu_seconds") for t in TOOLS for f in FIGURES},
            "median_peak_mb": {f"{t}_{f}": res.median(t, f, "peak_mb") for t in TOOLS for f in FIGURES},
            "median_own_mb": {f"{t}_{f}": res.median(t, f, "own_mb") for t in TOOLS for f in FIGURES},
            "median_helpers_mb": {f"{t}_{f}": res.median(t, f, "helpers_mb") for t in TOOLS for f in FIGURES},
            "samples": {f"{t}_{f}": [vars(s) for s in res.samples.get((t, f), [])] for t in TOOLS for f in FIGURES},
            "pages": res.pages,
            "live_median_seconds": live,
            "ratios": {"full": full_ratio, "edit_own": edit_own, "live_edit_own": live_own, "memory": mem_ratio},
            "errors": res.errors,
        }
    by_name = {r.corpus: r for r in results}
    small, large = by_name.get("synthetic-1k"), by_name.get("synthetic-10k")
    if small and large:
        growth = _ratio(large.median("kring", "full"), small.median("kring", "full"))
        vgrowth = _ratio(large.median("vanilla", "full"), small.median("vanilla", "full"))
        rows.append(f"| 10k / 1k | full build growth | {_fmt(vgrowth, '×')} | {_fmt(growth, '×')} | | ≤ {TARGETS['growth']:.0f}× "
                    f"| {_verdict(growth, TARGETS['growth'])} |")
        summary["growth"] = {"kring": growth, "vanilla": vgrowth}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    head = (f"Medians of {runs} run(s); {os.cpu_count()} cores, load average {load} when written (other work on the "
            "machine inflates wall times; CPU time is steadier); Pelican = vanilla 4.12, no plugins, default theme, "
            "content cache on.\n\n")
    errors = [f"- {r.corpus}, {t}: {msg.splitlines()[-1] if msg else ''}" for r in results for t, msg in r.errors.items()]
    return head + "\n".join(rows) + ("\n\nFailed builds:\n" + "\n".join(errors) if errors else "") + "\n", summary


def write_results(results: list[Result], runs: int, name: str) -> str:
    text, summary = table(results, runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    (RESULTS / f"{name}.md").write_text(f"# Kring benchmark ({stamp})\n\n{text}", encoding="utf-8")
    (RESULTS / f"{name}.json").write_text(json.dumps({"when": stamp, "runs": runs, "corpora": summary}, indent=2), encoding="utf-8")
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Kring against vanilla Pelican.")
    parser.add_argument("--quick", action="store_true", help="1,000 synthetic articles only, one run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1k,3k,10k", help="synthetic sizes, e.g. 1k,3k")
    parser.add_argument("--no-twir", action="store_true")
    parser.add_argument("--name", help="results file name (default: quick or bench)")
    parser.add_argument("--full-only", action="store_true", help="only full builds (e.g. for the 10k growth figure)")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    sizes = ["1k"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in synthetic.SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: choose from {', '.join(synthetic.SIZES)}")
    name = args.name or ("quick" if args.quick else "bench")
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="kring-bench-") as tmp:
        scratch = Path(tmp)
        corpora = [] if (args.quick or args.no_twir or not twir_present()) else [twir_corpus(scratch)]
        corpora += [synthetic_corpus(synthetic.SIZES[s]) for s in sizes]
        for corpus in corpora:
            results.append(bench_corpus(corpus, runs, scratch, args.full_only))
            text = write_results(results, runs, name)  # after each corpus: a long run keeps what it has
    print(text)
    if not (args.quick or args.no_twir):
        twir_present()  # said again under the table, where it is read
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
