"""Command line: ``cleanarticle clean FILE...`` (minimal; the batch CLI grows here)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from cleanarticle.cleaner import Cleaner


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cleanarticle", description="Strip boilerplate out of news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_clean = sub.add_parser("clean", help="clean files (HTML or extracted text) and print the result")
    p_clean.add_argument("inputs", nargs="+", help="files, or - for standard input")
    p_clean.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    cleaner = Cleaner()
    for name in args.inputs:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        article = cleaner.clean(data)
        if args.format == "json":
            print(json.dumps(article.to_dict(), ensure_ascii=False))
        else:
            print(article.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
