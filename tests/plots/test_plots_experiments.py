"""Tests of tts_lib.plots.experiments (figures and animations of the experiments)."""

import matplotlib

matplotlib.use("Agg")

import pytest

from tts_lib.plots import experiments as views
from tts_lib.plots import style
from tts_lib import experiments















@pytest.fixture(scope="module")
def quick_two_seeds():
    # the paper's slow time tau = 0.07 with 100x fewer steps (lr and eps both x10)
    cfg = experiments.SGDConfig("quick", eps=2e-4, t_max=0.035, h_paper=1e-4, repeats=2, n_records=50)
    return experiments.run_sgd_vs_ideal(cfg, seed=0)


def test_plots(quick_two_seeds):
    import matplotlib.pyplot as plt

    first = experiments.per_seed(quick_two_seeds)[0]
    fig = views.plot_snapshots(first, [0.0, 0.03, 0.07], ncols=2)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 3
    fig, anim = views.training_animation(first, frames=5)
    html = anim.to_jshtml()
    plt.close(fig)
    assert "<script" in html
    assert experiments.snapshot_index(first, 0.07) == first.main.steps.size - 1
    ax = views.plot_uncovered(first, 0)
    assert len(ax.patches) == 0  # every jump covered: nothing marked
    plt.close("all")
    with pytest.raises(ValueError, match="i"):
        views.plot_uncovered(first, 3)


def _inside(fig):
    """Every drawn artist of ``fig`` inside the figure (nothing cut at its edges), and its texts >= MIN_FONT."""
    fig.canvas.draw()
    box = fig.get_tightbbox().transformed(fig.dpi_scale_trans)   # in pixels, like fig.bbox
    inside = box.x0 >= -1 and box.y0 >= -1 and box.x1 <= fig.bbox.x1 + 1 and box.y1 <= fig.bbox.y1 + 1
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
    return inside, min(sizes)


def _stacked(fig):
    a, b = [ax for ax in fig.axes if ax.get_visible()][:2]
    return a.get_position().y0 > b.get_position().y1 and abs(a.get_position().x0 - b.get_position().x0) < 0.1


def test_training_animation_has_a_phone_drawing(quick_two_seeds):
    """Inside style.phone() the animation is drawn PHONE_WIDTH wide (panels stacked, nothing outside the figure,
    text >= MIN_FONT); style.responsive_animation serves it next to the desktop one."""
    import matplotlib.pyplot as plt

    first = experiments.per_seed(quick_two_seeds)[0]
    fig, anim = views.training_animation(first, frames=3)
    anim._init_draw()   # (an animation never drawn warns when it is deleted)
    assert fig.get_figwidth() == style.COLUMN_WIDTH
    plt.close(fig)
    with style.phone():
        fig, anim = views.training_animation(first, frames=3)
        anim._init_draw()
        assert fig.get_figwidth() == style.PHONE_WIDTH and _stacked(fig)
        inside, smallest = _inside(fig)
        assert inside and smallest >= style.MIN_FONT
    plt.close(fig)
    html = style.responsive_animation(lambda: views.training_animation(first, frames=3), dpi=20, phone_dpi=20,
                                      progress=False)
    phone = html.partition('<div class="tts-animation tts-animation-phone"')[2]
    assert phone.count("data:image/png;base64,") == 3
    assert f"width:{round(style.PHONE_WIDTH * style.SCREEN_DPI)}px" in phone


def test_preview_animation_has_a_phone_drawing():
    """The preview (chapter 1) inside style.phone(): PHONE_WIDTH wide, the two runs stacked, nothing outside the
    figure, text >= MIN_FONT."""
    import matplotlib.pyplot as plt

    from tts_lib.experiments import preview

    runs = preview.run_preview(steps=20_000, equal_steps=2_000, frames=3)
    desktop = views.preview_animation(runs)
    desktop._init_draw()   # (an animation never drawn warns when it is deleted)
    assert desktop._fig.get_figwidth() == style.COLUMN_WIDTH
    with style.phone():
        anim = views.preview_animation(runs)
        fig = anim._fig
        anim._init_draw()
        assert fig.get_figwidth() == style.PHONE_WIDTH and _stacked(fig)
        inside, smallest = _inside(fig)
        assert inside and smallest >= style.MIN_FONT
    plt.close(fig)


def _frames(html):
    """The frames of a jshtml player, as pixel arrays."""
    import base64
    import io
    import re

    import numpy as np
    from PIL import Image

    data = re.findall(r'data:image/png;base64,([^"]*)"', html)
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(re.sub(r"[\\\s]", "", d))))) for d in data]


def _redrawn_whole(anim, dpi):
    """matplotlib's own writer (every frame drawn whole by savefig, the frame size it adjusts included), the
    artists that the animation function returns raised above every other artist (the order in which
    style.animation_html's frames draw them)."""
    import tempfile
    from pathlib import Path

    import matplotlib as mpl
    from matplotlib.animation import HTMLWriter

    anim._init_draw()
    for artist in anim._drawn_artists:
        artist.set_zorder(1000)
    with mpl.rc_context({"savefig.dpi": dpi}), tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "a.html")
        anim.save(str(path), writer=HTMLWriter(fps=5, embed_frames=True))
        return _frames(path.read_text())


@pytest.mark.parametrize("which", ["preview", "training", "preview-text-not-returned"])
@pytest.mark.parametrize("phone", [False, True])
def test_animation_frames_drawn_once_are_the_whole_redraw(which, phone, quick_two_seeds):
    """style.animation_html draws the figure once and, per frame, only the artists the animation function
    returns (the book's two animations return them): every pixel of every frame equals matplotlib's own
    whole-figure redraw with those artists drawn last (as blitting draws them). The control: the preview
    with its step/loss text left out of what the function returns differs (the text stays as in the first
    frame), so the comparison sees a missing artist."""
    import contextlib

    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.text import Text

    from tts_lib.experiments import preview

    if which.startswith("preview"):
        runs = preview.run_preview(steps=20_000, equal_steps=2_000, frames=4)

        def make():
            anim = views.preview_animation(runs)
            if which == "preview-text-not-returned":
                func = anim._func
                anim._func = lambda k: [a for a in func(k) if not isinstance(a, Text)]
            return anim
    else:
        first = experiments.per_seed(quick_two_seeds)[0]
        make = lambda: views.training_animation(first, frames=4)[1]  # noqa: E731
    with style.phone() if phone else contextlib.nullcontext():
        anim = make()
        fast = _frames(style.animation_html(anim, dpi=40, progress=False))
        plt.close(anim._fig)
        anim = make()
        style._freeze_layout(anim)  # as animation_html does
        slow = _redrawn_whole(anim, 40)
        plt.close(anim._fig)
    assert len(fast) == len(slow) >= 4
    same = [a.shape == b.shape and np.array_equal(a, b) for a, b in zip(fast, slow)]
    if which == "preview-text-not-returned":
        assert same[0] and not any(same[1:])   # the first frame draws everything; then the text is stale
    else:
        assert all(same), same
    assert not all(np.array_equal(fast[0], f) for f in fast[1:])   # the frames do differ
