"""Progress bars for the library's long calls: shown in a live notebook, never in a built page.

A call that takes more than a few seconds (a study, an ensemble of SGD runs, a long flow) takes
``progress=None`` and asks :func:`bar` for its bar. Whether a bar is drawn:

1. ``TTS_PROGRESS=0`` in the environment: never, whatever the caller asked. The book build and the notebook
   tests set it (``tools/_env.sh``), so no bar (a widget, dead in a static page) reaches the site.
2. Otherwise ``progress=True`` / ``False`` from the caller decides (the command line asks for bars).
3. Otherwise (``None``, the default) ``TTS_PROGRESS=1`` turns bars on, and without it a bar is drawn only in a
   live notebook: an IPython kernel whose current request allows ``input()`` (JupyterLab, Notebook and VS Code
   send ``allow_stdin=True``; nbclient, nbval and ``jupyter nbconvert --execute``, which execute notebooks
   with nobody watching, send ``False``).

The bar is ``tqdm.auto``: tqdm's notebook widget in a notebook, a text bar on stderr elsewhere.
"""

from __future__ import annotations

import os

__all__ = ["enabled", "bar"]

#: Seconds a call runs before its bar appears (when the caller did not ask for a bar explicitly).
DELAY = 3.0

_OFF = ("0", "off", "false", "no")
_ON = ("1", "on", "true", "yes")


def _live_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:                    # pragma: no cover (IPython is in the stack)
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    return bool(getattr(kernel, "_allow_stdin", False))


def enabled(progress: bool | None = None) -> bool:
    """Whether a call asked with ``progress`` draws a bar (the rules are in this module's docstring)."""
    env = os.environ.get("TTS_PROGRESS", "").strip().lower()
    if env in _OFF:
        return False
    if progress is not None:
        return bool(progress)
    if env in _ON:
        return True
    return _live_notebook()


class _Silent:
    """Stands in for a tqdm bar when none is drawn (the same methods, doing nothing)."""

    n = 0

    def update(self, n=1):
        self.n += n

    def set_postfix_str(self, *args, **kwargs):
        pass

    def set_description_str(self, *args, **kwargs):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def bar(total, *, desc: str, unit: str = "it", progress: bool | None = None, **kwargs):
    """A ``tqdm.auto`` bar of ``total`` units when :func:`enabled` (``progress``), else a silent stand-in.

    Use as a context manager and call ``update(n)``. Unless given: ``leave=False`` (the bar disappears when
    done) and, when the caller left the choice to :func:`enabled` (``progress=None``), ``delay=DELAY``: the bar
    appears only once the call has lasted :data:`DELAY` seconds, so short calls draw nothing.
    """
    if not enabled(progress):
        return _Silent()
    from tqdm.auto import tqdm

    kwargs.setdefault("leave", False)
    if progress is None:
        kwargs.setdefault("delay", DELAY)
    return tqdm(total=total, desc=desc, unit=unit, **kwargs)
