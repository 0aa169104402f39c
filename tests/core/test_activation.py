import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tts_lib as tts


def test_profile_values():
    z = np.array([-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 2.0])
    assert np.allclose(tts.sigma(z), [0, 0, 4 * 0.25**3, 0.5, 1 - 4 * 0.25**3, 1, 1])
    assert tts.sigma_prime(0.0) == pytest.approx(3.0)
    assert tts.sigma_prime(0.5) == 0.0 and tts.sigma_prime(-0.5) == 0.0


@settings(max_examples=200, deadline=None)
@given(st.floats(-0.7, 0.7))
def test_derivatives_are_derivatives(z):
    h = 1e-6
    fd = (tts.sigma(z + h) - tts.sigma(z - h)) / (2 * h)
    # sigma'' jumps at 0 (from +12 to -12), so the central difference is only O(h) there
    assert tts.sigma_prime(z) == pytest.approx(fd, abs=1e-5)
    if abs(z) > 1e-4 and abs(abs(z) - 0.5) > 1e-4:
        fd2 = (tts.sigma_prime(z + h) - tts.sigma_prime(z - h)) / (2 * h)
        assert tts.sigma_second(z) == pytest.approx(fd2, abs=1e-5)


def test_c1_and_symmetry():
    z = np.linspace(-0.6, 0.6, 1201)
    assert np.allclose(tts.sigma(z) + tts.sigma(-z), 1.0)
    assert np.allclose(tts.sigma_prime(z), tts.sigma_prime(-z))
    # sigma' is continuous: no jump larger than its local variation
    assert np.max(np.abs(np.diff(tts.sigma_prime(z)))) < 0.05
    # integral of sigma' is 1
    zz = np.linspace(-0.5, 0.5, 200001)
    assert np.trapezoid(tts.sigma_prime(zz), zz) == pytest.approx(1.0, abs=1e-8)


def test_bad_input():
    with pytest.raises(ValueError, match="z"):
        tts.sigma([0.0, np.nan])
    with pytest.raises(ValueError, match="z"):
        tts.sigma_prime("x")
