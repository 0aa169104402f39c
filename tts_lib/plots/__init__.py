r"""Every figure of the book: matplotlib only, and one style (:mod:`~tts_lib.plots.style`).

* :mod:`~tts_lib.plots.style` — the book's figure style (column width, fonts, colour-blind-safe palette);
* :mod:`~tts_lib.plots.tables` — small result tables (:func:`~tts_lib.plots.tables.table`, also ``plots.table``);
* :mod:`~tts_lib.plots.explore` — the setting (chapter 2): target, activation, network, and the live explorer
  for notebook readers (:class:`~tts_lib.plots.explore.NetworkExplorer`);
* :mod:`~tts_lib.plots.theory` — the proof's figures (chapters 3 and 4);
* :mod:`~tts_lib.plots.experiments` — the experiments' figures and animations (chapters 1, 5 and 6).

This is the top layer: it may import the core, :mod:`tts_lib.theory` and :mod:`tts_lib.experiments`;
nothing imports it but the chapters and the command line.
"""

from . import experiments, explore, style, tables, theory
from .tables import table

__all__ = ["experiments", "explore", "style", "tables", "theory", "table"]
