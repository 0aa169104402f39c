"""``python -m tts_lib.course grade NOTEBOOK.ipynb [...]``: run submissions and print their scores (JSON)."""

import argparse
import json
import sys

from .check import grade


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tts_lib.course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="run each notebook and tabulate its self-checks")
    g.add_argument("notebooks", nargs="+")
    args = parser.parse_args(argv)
    out = {}
    for nb in args.notebooks:
        try:
            out[nb] = grade(nb)
        except ValueError as err:
            parser.error(str(err))
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
