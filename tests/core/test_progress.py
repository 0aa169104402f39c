"""When the library draws a progress bar (tts_lib._progress): never in the build, in a live notebook by default."""

import types

import IPython
import pytest

from tts_lib import _progress


def _kernel(monkeypatch, allow_stdin):
    shell = types.SimpleNamespace(kernel=types.SimpleNamespace(_allow_stdin=allow_stdin))
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("TTS_PROGRESS", raising=False)


def test_default_follows_the_frontend(monkeypatch):
    assert not _progress.enabled()                 # plain Python (no kernel)
    _kernel(monkeypatch, True)                     # JupyterLab, Notebook, VS Code: allow_stdin
    assert _progress.enabled()
    _kernel(monkeypatch, False)                    # nbclient, nbval, nbconvert --execute
    assert not _progress.enabled()


def test_build_switch_wins_over_everything(monkeypatch):
    _kernel(monkeypatch, True)
    monkeypatch.setenv("TTS_PROGRESS", "0")
    assert not _progress.enabled() and not _progress.enabled(True)
    assert isinstance(_progress.bar(10, desc="x", progress=True), _progress._Silent)


def test_explicit_choice_and_env_on(monkeypatch):
    assert _progress.enabled(True) and not _progress.enabled(False)
    monkeypatch.setenv("TTS_PROGRESS", "1")
    assert _progress.enabled() and not _progress.enabled(False)


def test_bars(monkeypatch):
    with _progress.bar(3, desc="silent", progress=False) as bar:
        bar.update(2)
    assert isinstance(bar, _progress._Silent) and bar.n == 2
    with _progress.bar(3, desc="drawn", progress=True, disable=False) as bar:   # a text bar on stderr here
        bar.update(3)
    assert not isinstance(bar, _progress._Silent) and bar.n == 3
    _kernel(monkeypatch, True)
    bar = _progress.bar(3, desc="auto")
    assert bar.delay == _progress.DELAY            # progress=None: only once the call has lasted DELAY s
    bar.close()
