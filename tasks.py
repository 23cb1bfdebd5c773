"""Invoke tasks, the Pelican convention: `invoke build`, `invoke serve`, ...

`make <task>` installs the pinned dependencies into .venv and calls these.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

from invoke import task

import kring  # noqa: F401  (puts plugins/ on sys.path)

ROOT = os.path.dirname(os.path.abspath(__file__))
DEV_SETTINGS = os.path.join(ROOT, "pelicanconf.py")
PUBLISH_SETTINGS = os.path.join(ROOT, "publishconf.py")
OUTPUT = os.path.join(ROOT, "output")


def _build(settings_file: str, output: str | None = None) -> None:
    from kring.build import main

    argv = ["-s", settings_file] + (["-o", output] if output else [])
    code = main(argv)
    if code:
        sys.exit(code)


@task
def clean(c):
    """Remove the generated site."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task
def build(c):
    """Build the site with the development settings into output/."""
    _build(DEV_SETTINGS)


@task
def rebuild(c):
    """Remove output/ and build from scratch."""
    clean(c)
    build(c)


@task(help={"port": "port to serve on (default 8000)", "host": "interface (default localhost)"})
def serve(c, port=8000, host="localhost"):
    """Build, serve on http://localhost:8000 and rebuild + reload on every edit."""
    from kring.serve import serve as run_server

    run_server(DEV_SETTINGS, host=host, port=int(port))


@task
def livereload(c, port=8000, host="localhost"):
    """Same as serve (the name pelican-quickstart uses)."""
    serve(c, port=port, host=host)


@task(help={"force": "ignore the minimum interval per feed (requests stay conditional)",
            "local_only": "only the local feed files in content/ (no network)"})
def fetch(c, force=False, local_only=False):
    """Fetch the community feeds of every public member and group into the archive."""
    from kring.feeds.cli import main

    code = main(["-s", DEV_SETTINGS] + (["--force"] if force else []) + (["--local-only"] if local_only else []))
    if code:
        sys.exit(code)


@task(help={"feeds": "number of feeds (default 500)", "runs": "repetitions, the median is reported (default 3)"})
def bench_fetch(c, feeds=500, runs=3):
    """Benchmark fetch: feeds from a local server, 5% never answer, 5% fail."""
    from benchmarks.fetch_bench import main

    main(["--feeds", str(feeds), "--runs", str(runs)])


@task(help={"members": "number of members (default 2000)", "posts": "community posts (default 20000)",
            "runs": "repetitions, the median is reported (default 3)"})
def bench_knowledge(c, members=2000, posts=20000, runs=3):
    """Benchmark the knowledge map (experts, graphs, activity) on a synthetic community."""
    from benchmarks.knowledge_bench import main

    main(["--members", str(members), "--posts", str(posts), "--runs", str(runs)])


@task(help={"quick": "1,000 synthetic articles only, one run", "runs": "repetitions, medians reported (default 3)",
            "sizes": "synthetic sizes (default 1k,3k,10k)", "fetch": "also run the fetch benchmark"})
def bench(c, quick=False, runs=3, sizes="1k,3k,10k", fetch=True):
    """Benchmark builds against vanilla Pelican; tables in benchmarks/results/."""
    from benchmarks.bench import main

    code = main((["--quick"] if quick else ["--runs", str(runs), "--sizes", sizes]))
    if fetch and not quick and os.path.exists(os.path.join(ROOT, "benchmarks", "fetch_bench.py")):
        bench_fetch(c)
    if code:
        sys.exit(code)


@task(help={"output": "the built site to check (default output/)",
            "site_url": "the site's own address, whose absolute links count as internal"})
def check(c, output=OUTPUT, site_url=""):
    """Check every internal link and image of a built site (the build runs this too)."""
    from kring.linkcheck import main

    code = main([output] + (["--site-url", site_url] if site_url else []))
    if code:
        sys.exit(code)


def _scaffold(make):
    """Run a kring.scaffold function; an editor's mistake is one line, not a traceback."""
    from kring.scaffold import ScaffoldError

    try:
        path = make()
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
    print(f"Wrote {os.path.relpath(path)}")


@task(iterable=["author", "group"],
      help={"author": "a member (slug or display name); repeat or separate with commas",
            "group": "a group slug; repeat or separate with commas", "issue": "the issue number (optional)",
            "content": "content folder (default content/)"})
def new_article(c, title, author=None, group=None, issue=None, content=os.path.join(ROOT, "content")):
    """Write content/articles/<year>/<slug>.md as a draft, checked against members, groups and issues."""
    from pathlib import Path

    from kring.scaffold import new_article as write
    from kring_core import split_list

    _scaffold(lambda: write(Path(content), title, split_list(author), split_list(group), issue or None))


@task(help={"title": "the issue's title (default 'Nummer <n>')", "content": "content folder (default content/)"})
def new_issue(c, title="", content=os.path.join(ROOT, "content")):
    """Write content/issues/<next number>.md as a draft issue."""
    from pathlib import Path

    from kring.scaffold import new_issue as write

    _scaffold(lambda: write(Path(content), title))


@task(help={"mail": "the saved e-mail (.eml)", "article": "the article's slug (default: found from the subject)",
            "author": "the name to show (default: the sender's name)", "content": "content folder (default content/)"})
def import_response(c, mail, article="", author="", content=os.path.join(ROOT, "content")):
    """Turn a reader's saved e-mail into content/responses/<article>/<name>.md (no address, no quoted text)."""
    from pathlib import Path

    from kring.build import load_settings
    from kring.mail import import_response as write

    timezone = load_settings(DEV_SETTINGS).get("TIMEZONE", "Europe/Amsterdam")
    _scaffold(lambda: write(Path(mail), Path(content), article=article, author=author, timezone=timezone))


@task(help={"no_fetch": "do not refresh the community feeds first", "settings": "settings file (default publishconf.py)"})
def publish(c, no_fetch=False, settings=PUBLISH_SETTINGS):
    """Fetch feeds, build with publishconf.py into a new release, check it, then switch the live site to it."""
    from kring.publish import PublishFailed
    from kring.publish import publish as run_publish

    if not no_fetch and "fetch" in globals():
        globals()["fetch"](c)
    try:
        release = run_publish(settings, ROOT)
    except PublishFailed as failed:
        print(f"{failed}\nThe live site was not changed.", file=sys.stderr)
        sys.exit(1)
    print(f"Published {release}")


@task(help={"settings": "settings file (default publishconf.py)"})
def rollback(c, settings=PUBLISH_SETTINGS):
    """Make the previous release live again."""
    from kring.publish import PublishFailed
    from kring.publish import rollback as run_rollback

    try:
        release = run_rollback(settings, ROOT)
    except PublishFailed as failed:
        print(failed, file=sys.stderr)
        sys.exit(1)
    print(f"Live again: {release}")


CHROMIUM = "/usr/bin/chromium"


def _ensure_chromium(c) -> None:
    """The browser tests drive Debian's chromium; install it when we may, else say how."""
    if os.access(CHROMIUM, os.X_OK):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing chromium for the browser tests (apt-get) ...", flush=True)
        c.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", warn=True)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"No chromium at {CHROMIUM}: the browser tests (tests/browser/) will be skipped. "
              "Install it with `sudo apt-get install chromium` (Debian/Ubuntu) and run `make test` again.",
              flush=True)


@task
def translations(c):
    """Extract interface strings from the templates and merge them into the nl and en catalogs."""
    base = os.path.join(ROOT, "theme", "translations")
    pot = os.path.join(base, "messages.pot")
    pybabel = os.path.join(os.path.dirname(sys.executable), "pybabel")
    c.run(f'"{pybabel}" -q extract -F "{base}/babel.cfg" --no-location --omit-header -o "{pot}" '
          f'"{os.path.join(ROOT, "theme", "templates")}"')
    for lang in ("nl", "en"):
        c.run(f'"{pybabel}" -q update --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date -w 100 -D messages -i "{pot}" -d "{base}" -l {lang}')
    print("Now translate the empty msgstr entries in theme/translations/nl/LC_MESSAGES/messages.po.")


RAM_FOLDER = "/dev/shm"
RAM_NEEDED = 2 * 1024**3  # a run writes about half a gigabyte; the browser keeps its own files elsewhere


def _tests_scratch_folder() -> str | None:
    """A folder for the run's temporary files on a RAM-backed file system, when there is one with room.

    A run writes and deletes some 50,000 files (its ~400 builds); on this
    project's ext4 disks that was a seventh of the suite's time (journal,
    discard on delete). None: pytest's own folder under the system's temp dir.
    Folders of runs that failed more than a day ago are removed.
    """
    try:
        room = os.statvfs(RAM_FOLDER)
    except OSError:
        return None
    if room.f_bavail * room.f_frsize < RAM_NEEDED or not os.access(RAM_FOLDER, os.W_OK):
        return None
    for name in os.listdir(RAM_FOLDER):
        old = os.path.join(RAM_FOLDER, name)
        try:
            stale = name.startswith("kring-tests-") and time.time() - os.path.getmtime(old) > 86400
        except OSError:  # removed meanwhile by another run
            stale = False
        if stale:
            shutil.rmtree(old, ignore_errors=True)
    return tempfile.mkdtemp(prefix="kring-tests-", dir=RAM_FOLDER)


@task(help={"k": "only tests matching this expression", "x": "stop at the first failure",
            "m": "only tests with these markers, e.g. \"not slow and not browser\" (the quick part)",
            "workers": "parallel test processes (pytest-xdist): auto = one per core, 0 = none"})
def test(c, k="", x=False, m="", workers="auto"):
    """Run the whole test suite (the browser tests need chromium: installed here when possible)."""
    _ensure_chromium(c)
    args = [sys.executable, "-m", "pytest", "-q"]
    if workers not in ("0", 0):
        # loadgroup: tests marked xdist_group share one worker (and the build they start from).
        args += ["-n", str(workers), "--dist", "loadgroup"]
    if k:
        args += ["-k", k]
    if m:
        args += ["-m", m]
    if x:
        args.append("-x")
    scratch = _tests_scratch_folder()
    if scratch:
        args += ["--basetemp", scratch]
    result = c.run(" ".join(f'"{a}"' if " " in a else a for a in args), pty=False, warn=True)
    if scratch and result.exited == 0:
        shutil.rmtree(scratch, ignore_errors=True)
    elif scratch:
        print(f"The failed run's builds are kept in {scratch} (in memory: remove it when done).", flush=True)
    sys.exit(result.exited)
