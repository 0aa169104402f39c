"""The library's version, from its installed metadata (single source: ``version`` in pyproject.toml).

``__version__ = importlib.metadata.version("tts_lib")``; ``"0+unknown"`` when the package is imported
from a source tree that was never installed (``pip install -e .`` or a wheel installs the metadata).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__: str = version("tts_lib")
except PackageNotFoundError:  # a bare source tree on sys.path
    __version__ = "0+unknown"
