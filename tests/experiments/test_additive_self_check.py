"""The additive kernel checks the order it sweeps the neurons in (a CompiledCodeError, not a wrong J)."""

import numpy as np
import pytest

from tts_lib.errors import CompiledCodeError
from tts_lib.experiments import _additive_kernel


def test_block_order_is_checked(monkeypatch):
    u = np.array([0.5, 0.1, 0.9, 0.3, 0.8, 0.2])
    assert np.array_equal(_additive_kernel._block_order.py_func(u, 1, 3), [5, 3, 4])
    monkeypatch.setattr(_additive_kernel, "argsort", lambda block: np.arange(block.shape[0]))
    with pytest.raises(CompiledCodeError, match="sorting permutation"):
        _additive_kernel._block_order.py_func(u, 1, 3)
