"""The ``cleanarticle`` command: ``clean`` (batch), ``explain`` (one article, readable) and ``rules``.

``clean`` streams records from files, directories, stdin, JSON Lines and WARC files through a
Cleaner (in a process pool with ``--jobs``), writes one result per record in input order, and keeps
going past failures: each is written as an ``error`` record, reported on stderr, and reflected in
the exit status (0 all ok, 1 some failed, 2 usage error). See docs/cli.md for the full story.

:func:`main` takes ``argv`` and returns the exit status instead of exiting, so tests and other
programs can run the real command in-process.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, BinaryIO, TextIO

from cleanarticle.article import Kind
from cleanarticle.cleaner import Cleaner
from cleanarticle.errors import CleanArticleError, ConfigError
from cleanarticle.io.explain import render_explanation
from cleanarticle.io.parallel import ordered_map
from cleanarticle.io.process import CleanTask
from cleanarticle.io.progress import Progress
from cleanarticle.io.records import DEFAULT_FIELDS, STDIN, ReadStats, Record, read_document, read_inputs
from cleanarticle.io.writers import make_sink
from cleanarticle.layers.dom import load_dom_rules
from cleanarticle.rules import LANGUAGES, load_pack

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

#: ``rules --language`` value for the DOM rules, which hold for pages in every language.
ANY_LANGUAGE = "*"

_SCOPE_FILTER = {"block": "blocks", "inline": "inline", "dateline": "datelines", "dom": "dom"}
_DOM_HELP = "HTML only: drops ad, newsletter, related, share, paywall and comment containers by their markup."


class UsageError(Exception):
    """A mistake in the command line itself: reported in one line, exit status 2, nothing run."""


# ---------------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on bad usage (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        status: int = args.handler(args)
    except UsageError as exc:
        print(f"cleanarticle: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleanarticle",
        description="Strip boilerplate out of news articles, keep the credits, explain every cut.",
    )
    from cleanarticle import __version__

    parser.add_argument("--version", action="version", version=f"cleanarticle {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cleaner_options = _cleaner_options()
    _add_clean(sub, cleaner_options)
    _add_explain(sub, cleaner_options)
    _add_rules(sub)
    _add_learn(sub, cleaner_options)
    for name in ("clean", "explain"):
        _add_profile_options(sub.choices[name])
    return parser


def _cleaner_options() -> argparse.ArgumentParser:
    """The options that configure the Cleaner, shared by ``clean`` and ``explain``."""
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("cleaning")
    g.add_argument("--language", action="append", choices=LANGUAGES, metavar="LANG",
                   help=f"rule pack to run ({', '.join(LANGUAGES)}); repeat for several"
                   " (default: the packs that fit each document)")
    g.add_argument("--disable", action="append", default=[], metavar="FILTER",
                   help="switch a filter off; repeatable (see `cleanarticle rules`)")
    g.add_argument("--mode", choices=("auto", "html", "text"), default="auto",
                   help="treat input as HTML or extracted text (default: sniff each document)")
    g.add_argument("--timeout", type=float, metavar="SECONDS", help="time budget per document")
    g.add_argument("--encoding", help="encoding of byte input when known (default: BOM, charset, UTF-8)")
    g.add_argument("--errors", choices=("strict", "replace"), default="strict",
                   help="undecodable bytes: fail the record (strict) or use U+FFFD (replace)")
    g.add_argument("--metadata", choices=("fast", "full"), default="fast",
                   help="HTML metadata: what the page declares (fast), or also authors, categories "
                        "and tags searched in the markup (full, about 10 ms more a page)")
    return p


def _add_record_inputs(p: argparse.ArgumentParser) -> None:
    """The inputs and how their records are read: one set of options for every command that reads them."""
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory, or - for standard input")
    p.add_argument("--field", metavar="NAME",
                   help="JSON Lines field holding the document (default: the first of "
                   f"{', '.join(DEFAULT_FIELDS)}); also makes stdin JSON Lines")
    p.add_argument("--url-field", default="url", metavar="NAME", help="JSON Lines field holding the page URL")
    p.add_argument("--input-format", choices=("auto", "document", "jsonl", "warc"), default="auto",
                   help="how to read inputs (default: by name: .jsonl/.ndjson, .warc/.warc.gz, "
                   "anything else is one document)")


def _add_clean(sub: Any, parents: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "clean", parents=[parents], help="clean documents in batch",
        description="Clean files, directories (recursively), stdin (-), JSON Lines and WARC files. "
        "Results are written in input order, whatever --jobs is.",
    )
    _add_record_inputs(p)
    p.add_argument("--format", choices=("jsonl", "text", "json"), default="jsonl",
                   help="jsonl: one object per record (default); json: one array; text: article text only")
    p.add_argument("-o", "--output", metavar="FILE", help="write results here instead of stdout")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="worker processes (default 1; 0 = one per CPU)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress line and no summary (failures are still reported)")
    p.set_defaults(handler=cmd_clean)


def _add_explain(sub: Any, parents: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "explain", parents=[parents], help="show what was removed from one article, and why",
        description="A readable view of one article: removed lines struck through with their kind and "
        "rule, inline cuts marked in place, DOM removals first (HTML), credits last.",
    )
    p.add_argument("file", metavar="FILE", help="the page or text (- for standard input)")
    p.add_argument("--url", help="the page's URL (helps extraction of HTML)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the view (auto: when stdout is a terminal and NO_COLOR is unset)")
    p.set_defaults(handler=cmd_explain)


def _add_rules(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the filters and rules",
                       description="The filters in chain order, then every rule with its first example.")
    p.add_argument("--language", action="append", choices=(*LANGUAGES, ANY_LANGUAGE), metavar="LANG",
                   help=f"only these packs; repeatable; '{ANY_LANGUAGE}' for the DOM rules (default: all)")
    p.add_argument("--kind", action="append", choices=[k.value for k in Kind], metavar="KIND",
                   help="only rules of this kind; repeatable")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=cmd_rules)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU) or more")
    return jobs or os.cpu_count() or 1


def make_cleaner(args: argparse.Namespace) -> Cleaner:
    """The Cleaner the options ask for; a bad combination is a usage error."""
    options: dict[str, Any] = {
        "disable": frozenset(args.disable),
        "mode": args.mode,
        "timeout": args.timeout,
        "encoding": args.encoding,
        "errors": args.errors,
        "metadata": args.metadata,
    }
    if args.language:  # else the Cleaner's own default (which picks the packs per document)
        options["languages"] = tuple(args.language)
    try:
        return _with_profiles(Cleaner(**options), args)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


# ---------------------------------------------------------------------------------- clean


def _records(args: argparse.Namespace, cleaner: Cleaner, stats: ReadStats) -> Iterator[Record]:
    """The records of the command's inputs, read lazily (shared by ``clean`` and ``learn``)."""
    return read_inputs(
        args.inputs,
        stdin=_stdin(),
        input_format=args.input_format,
        stdin_format="jsonl" if args.field else "document",
        fields=(args.field,) if args.field else DEFAULT_FIELDS,
        url_field=args.url_field or None,
        limit=cleaner.max_input_chars,
        stats=stats,
    )


def cmd_clean(args: argparse.Namespace) -> int:
    """Stream every record through the Cleaner, in order; exit 1 if any failed."""
    _check_inputs(args.inputs)
    cleaner = make_cleaner(args)
    stats = ReadStats()
    records = _records(args, cleaner, stats)
    progress = Progress(sys.stderr, live=_live_progress(args), summary=not args.quiet)
    task = CleanTask(cleaner, args.format)
    if args.jobs > 1:
        task.warm_up()
    try:
        with _output(args.output) as stream, _sigterm_interrupts():
            sink = make_sink(args.format, stream)
            for outcome in ordered_map(task, records, jobs=args.jobs, weight=_weight):
                sink.write(outcome)
                progress.record(outcome)
            sink.close()
    except KeyboardInterrupt:
        progress.finish(stats.skipped)
        progress.message("cleanarticle: interrupted")
        return 130
    except BrokenPipeError:  # `cleanarticle clean ... | head`: the reader has all it wants
        _silence_stdout()
        return EXIT_FAILED
    progress.finish(stats.skipped)
    return EXIT_FAILED if progress.tally.failed else EXIT_OK


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops a run the way Ctrl-C does: the pool is shut down and the summary printed."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (main() called from a thread): leave signals alone
        yield
        return
    try:
        yield
    finally:
        if previous is not None:  # None: a handler installed outside Python, which we cannot restore
            signal.signal(signal.SIGTERM, previous)


def _live_progress(args: argparse.Namespace) -> bool:
    """A live line on a terminal stderr, unless the results themselves stream to that terminal."""
    to_terminal = args.output in (None, STDIN) and sys.stdout.isatty()
    return not args.quiet and sys.stderr.isatty() and not to_terminal


def _check_inputs(inputs: Sequence[str]) -> None:
    missing = [name for name in inputs if name != STDIN and not os.path.exists(name)]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")


def _stdin() -> BinaryIO:
    """Standard input as bytes; empty when the process has none (a daemon, some CI runners)."""
    stream = sys.stdin
    return stream.buffer if stream is not None and hasattr(stream, "buffer") else io.BytesIO()


def _weight(record: Record) -> int:
    """A record's size, to keep the chunks sent to workers small in bytes."""
    return len(record.data) if record.data is not None else 1


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """``-o FILE`` (UTF-8), or stdout made UTF-8, since articles are in every script."""
    if path is None or path == STDIN:
        yield _utf8(sys.stdout)
        return
    try:
        stream = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    with stream:
        yield stream


def _utf8(stream: TextIO) -> TextIO:
    if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
        stream.reconfigure(encoding="utf-8")
    return stream


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the interpreter's final flush stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
    finally:
        os.close(devnull)


# ---------------------------------------------------------------------------------- explain


def cmd_explain(args: argparse.Namespace) -> int:
    """Clean one document and print the readable view; a failure is one line on stderr, exit 1."""
    _check_inputs([args.file])
    cleaner = make_cleaner(args)
    record = read_document(args.file, stdin=_stdin(), limit=cleaner.max_input_chars)
    if record.error is not None or record.data is None:
        print(f"cleanarticle: failed: {record.id}: {record.error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        article = cleaner.clean(record.data, url=args.url)
    except CleanArticleError as exc:
        print(f"cleanarticle: failed: {record.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    out = _utf8(sys.stdout)
    out.write(render_explanation(article, name=args.file, color=use_color(args.color, out)))
    out.flush()
    return EXIT_OK


def use_color(choice: str, stream: TextIO) -> bool:
    """``always``/``never`` as said; ``auto``: a terminal, unless NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


# ---------------------------------------------------------------------------------- rules


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the filters, then the rules that pass ``--language`` / ``--kind``."""
    filters = filter_rows()
    rules = [
        r for r in rule_rows()
        if (not args.language or r["language"] in args.language) and (not args.kind or r["kind"] in args.kind)
    ]
    out = _utf8(sys.stdout)
    if args.format == "json":
        out.write(json.dumps({"filters": filters, "rules": rules}, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(_table(filters, rules))
    return EXIT_OK


def filter_rows() -> list[dict[str, str]]:
    """Every built-in filter in chain order, with the first paragraph of its docstring."""
    cleaner = Cleaner()
    described = {f.name: _doc(f) for f in getattr(cleaner, "_chain", ())}
    described["dom"] = _DOM_HELP
    return [{"name": name, "description": described.get(name, "")} for name in cleaner.filter_names_all]


def _doc(obj: object) -> str:
    text = (type(obj).__doc__ or "").strip().split("\n\n", 1)[0]
    return " ".join(text.replace("``", "").split())


def rule_rows() -> list[dict[str, str]]:
    """Every shipped rule, pack by pack, then the DOM rules (language ``*``)."""
    rows = [
        _rule_row(rule.id, rule.kind, rule.language, rule.scope, rule.examples)
        for lang in LANGUAGES
        for rule in load_pack(lang).rules
    ]
    rows += [_rule_row(r.id, r.kind, ANY_LANGUAGE, "dom", r.examples) for r in load_dom_rules()]
    return rows


def _rule_row(rule_id: str, kind: Kind, language: str, scope: str, examples: Sequence[str]) -> dict[str, str]:
    return {
        "id": rule_id,
        "kind": kind.value,
        "language": language,
        "scope": scope,
        "filter": _SCOPE_FILTER.get(scope, scope),
        "example": examples[0] if examples else "",
    }


def _table(filters: list[dict[str, str]], rules: list[dict[str, str]]) -> str:
    width = shutil.get_terminal_size((120, 24)).columns
    lines = ["FILTERS (in the order they run)"]
    name_w = max((len(f["name"]) for f in filters), default=4)
    lines += [_fit(f"  {f['name']:<{name_w}}  {f['description']}", width) for f in filters]
    lines += ["", f"RULES ({len(rules)})"]
    columns = ("id", "kind", "language", "scope", "example")
    widths = {c: max([len(c)] + [len(r[c]) for r in rules]) for c in columns[:-1]}
    header = "  ".join(c.upper().ljust(widths[c]) for c in columns[:-1]) + "  EXAMPLE"
    lines.append(header)
    for r in rules:
        cells = "  ".join(r[c].ljust(widths[c]) for c in columns[:-1])
        lines.append(_fit(f"{cells}  {_one_line(r['example'])}", width))
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: max(width - 1, 20)] + "…"


# ---------------------------------------------------------------------------------- learn (site profiles)


def _add_learn(sub: Any, parents: argparse.ArgumentParser) -> None:
    """``learn``: the records are read and cleaned as ``clean`` does; see docs/profiles.md."""
    from cleanarticle import profiles

    p = sub.add_parser(
        "learn", parents=[parents], help="learn each site's own boilerplate from many of its pages",
        description="Read pages as `clean` does, clean them with the rules, count per host the lines that "
        "repeat across its pages, and write the site profiles (JSON) for `clean --profiles`.",
    )
    _add_record_inputs(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the profiles file to write")
    hosts = p.add_mutually_exclusive_group()
    hosts.add_argument("--host", metavar="HOST", help="the host of records that come without a URL")
    hosts.add_argument("--host-from-dir", action="store_true",
                       help="a record without a URL belongs to the host its file's folder is named after")
    p.add_argument("--min-pages", type=int, default=profiles.DEFAULT_MIN_PAGES, metavar="N",
                   help=f"a template stands on at least N pages of its host (default {profiles.DEFAULT_MIN_PAGES})")
    p.add_argument("--min-share", type=float, default=profiles.DEFAULT_MIN_SHARE, metavar="SHARE",
                   help=f"... and on at least this share of them (default {profiles.DEFAULT_MIN_SHARE})")
    p.add_argument("--max-candidates", type=int, default=profiles.DEFAULT_MAX_CANDIDATES, metavar="N",
                   help=f"most lines counted at once per host: the memory bound (default {profiles.DEFAULT_MAX_CANDIDATES})")
    p.add_argument("--keep-candidates", action="store_true",
                   help="also write the lines below the thresholds, so that profiles learned on shards can "
                   "be merged exactly later (default: templates only, a small file)")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="worker processes for cleaning (default 1; 0 = one per CPU)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line and no summary")
    p.set_defaults(handler=cmd_learn)


def _add_profile_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("site profiles")
    g.add_argument("--profiles", metavar="FILE",
                   help="also remove the template lines these site profiles (`cleanarticle learn`) hold")
    g.add_argument("--host", metavar="HOST", help="with --profiles: the host of pages that come without a URL")


def _with_profiles(cleaner: Cleaner, args: argparse.Namespace) -> Cleaner:
    """``--profiles FILE`` added to the Cleaner; a bad file raises ConfigError, a usage error."""
    if not hasattr(args, "profiles"):
        return cleaner
    if args.profiles is None:
        if args.host:
            raise UsageError("--host is for pages cleaned with --profiles")
        return cleaner
    from cleanarticle.profiles import load_profiles

    return cleaner.with_profiles(load_profiles(args.profiles), default_host=args.host)


def cmd_learn(args: argparse.Namespace) -> int:
    """Clean every record with the rules, count its remaining lines under its host, write the profiles."""
    from cleanarticle.profiles import ProfileError, ProfileLearner, save_profiles

    _check_inputs(args.inputs)
    cleaner = make_cleaner(args)
    try:
        learner = ProfileLearner(
            min_pages=args.min_pages, min_share=args.min_share, max_candidates=args.max_candidates
        )
    except ProfileError as exc:
        raise UsageError(str(exc)) from None
    stats = ReadStats()
    records = _records(args, cleaner, stats)
    progress = Progress(sys.stderr, live=_live_progress(args), summary=not args.quiet)
    no_host = 0
    try:
        with _sigterm_interrupts():
            for outcome in ordered_map(CleanTask(cleaner, "jsonl"), records, jobs=args.jobs, weight=_weight):
                progress.record(outcome)
                if outcome.failure is not None or outcome.payload is None:
                    continue
                row = json.loads(outcome.payload)
                host = _page_host(row, args)
                if host is None:
                    no_host += 1
                else:
                    learner.add(host, row["body"])
    except KeyboardInterrupt:
        progress.finish(stats.skipped)
        progress.message("cleanarticle: interrupted; no profiles written")
        return 130
    progress.finish(stats.skipped)
    if no_host:
        progress.message(f"cleanarticle: {no_host} record(s) without a URL or host were not counted;"
                         " give --host or --host-from-dir")
    found = learner.profiles()
    try:
        save_profiles(found, args.output, compact=not args.keep_candidates)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    if not args.quiet:
        templates = sum(len(p.templates) for p in found.values())
        progress.message(f"cleanarticle: {len(found)} host(s), {templates} template line(s) -> {args.output}")
    return EXIT_FAILED if progress.tally.failed or no_host else EXIT_OK


def _page_host(row: dict[str, Any], args: argparse.Namespace) -> str | None:
    """The host of a cleaned record: its URL, trafilatura's hostname, then --host-from-dir / --host."""
    from cleanarticle.profiles import host_of

    meta = row.get("metadata") or {}
    host = host_of(meta.get("url")) or host_of(meta.get("hostname"))
    if host is None and args.host_from_dir:
        path = (row.get("source") or {}).get("path")
        if isinstance(path, str) and path != STDIN:
            host = host_of(os.path.basename(os.path.dirname(os.path.abspath(path))))
    return host or host_of(args.host)


if __name__ == "__main__":
    sys.exit(main())
