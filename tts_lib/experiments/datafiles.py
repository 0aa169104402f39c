"""Where the results computed once by the scripts of ``benchmarks/`` are shipped with the package."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR"]

#: Results computed once by scripts of ``benchmarks/`` and shipped with the package (so that chapter 6 runs
#: from an installed wheel too): the full phase study and the large-width lazy floors.
#:
#: :meta hide-value:
DATA_DIR = Path(__file__).resolve().parent / "data"
