"""Tests of tts_lib.plots.style (the book's figure style) and tts_lib.plots.tables (result tables)."""

import matplotlib

matplotlib.use("Agg")

import io  # noqa: E402
import struct  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

from tts_lib import plots  # noqa: E402
from tts_lib.plots import style  # noqa: E402


def _png_dpi(data: bytes) -> float:
    # the pHYs chunk holds pixels per metre
    i = data.index(b"pHYs")
    ppm = struct.unpack(">I", data[i + 4:i + 8])[0]
    return ppm * 0.0254


def test_constants_are_consistent():
    assert style.DPI == 2 * style.SCREEN_DPI  # stored at twice the displayed resolution
    assert style.COLUMN_WIDTH * style.SCREEN_DPI <= 690  # a column figure is never shrunk in the ~690 px column
    assert style.WIDE_WIDTH * 72 <= 690  # a wide figure still shows >= 1 CSS px per point
    assert min(v for k, v in style.RC.items() if "size" in k and isinstance(v, (int, float))) >= style.MIN_FONT
    assert len(set(style.PALETTE)) == len(style.PALETTE) == len(style.LINESTYLES) == len(style.MARKERS)


def test_figure_and_subplots_in_style():
    fig, axes = style.subplots(1, 2, height=2.5)
    assert fig.get_figwidth() == style.COLUMN_WIDTH and fig.get_figheight() == 2.5
    assert len(axes) == 2 and fig.dpi == style.SCREEN_DPI
    assert axes[0].xaxis.get_ticklabels()[0].get_fontsize() >= style.MIN_FONT
    with pytest.raises(ValueError, match="width"):
        style.figure(-1.0)
    with pytest.raises(ValueError, match="nrows"):
        style.subplots(0, 1)


def test_legend_outside_the_axes():
    fig, ax = style.subplots()
    ax.plot([0, 1], [0, 1], label="a line")
    leg = style.legend(ax, where="right")
    fig.canvas.draw()
    box, axbox = leg.get_window_extent(), ax.get_window_extent()
    assert box.x0 >= axbox.x1  # entirely right of the data area
    assert leg.get_texts()[0].get_fontsize() >= style.MIN_FONT
    with pytest.raises(ValueError, match="where"):
        style.legend(ax, where="inside")
    fig2, ax2 = style.subplots()
    assert style.legend(ax2) is None  # nothing labelled, no legend


def test_cue_gives_a_second_cue():
    cues = [style.cue(i) for i in range(8)]
    assert len({c["ls"] if isinstance(c["ls"], str) else str(c["ls"]) for c in cues}) == 8
    assert len({c["marker"] for c in cues}) == 8
    with pytest.raises(ValueError, match="i must"):
        style.cue(-1)


def test_saved_png_is_twice_the_screen_resolution():
    fig, ax = style.subplots()
    ax.plot([0, 1])
    buf = io.BytesIO()
    with matplotlib.rc_context(style.rc()):
        fig.savefig(buf, format="png")
    assert abs(_png_dpi(buf.getvalue()) - style.DPI) < 1


def test_animation_html_scales_to_the_page():
    fig, ax = plt.subplots(figsize=(3, 2), dpi=style.SCREEN_DPI)
    (line,) = ax.plot([0, 1], [0, 0])
    anim = FuncAnimation(fig, lambda k: line.set_ydata([k, k]), frames=2)
    html = style.animation_html(anim, dpi=50)
    plt.close(fig)
    assert 'style="width:300px;max-width:100%;height:auto"' in html
    assert "overflow-x:auto" in html
    with pytest.raises(ValueError, match="dpi"):
        style.animation_html(anim, dpi=0)


def test_table():
    t = plots.table([("a", 1234567, 0.000123456), ("bb", 2, True)], ["name", "n", "value"])
    html = t._repr_html_()
    assert html.count("<tr>") == 3 and "1,234,567" in html and "0.0001235" in html and "yes" in html
    assert "overflow-x:auto" in html
    lines = str(t).splitlines()
    assert lines[0].split() == ["name", "n", "value"] and set(lines[1]) <= {"-", " "}
    assert plots.table([("<b>",)], ["x"])._repr_html_().count("&lt;b&gt;") == 1  # escaped
    with pytest.raises(ValueError, match=r"rows\[0\]"):
        plots.table([(1, 2)], ["only"])
    with pytest.raises(ValueError, match="header"):
        plots.table([], [])


def test_responsive_draws_a_phone_version():
    """style.responsive: a desktop figure and a phone one, PHONE_WIDTH wide with its panels stacked, served as a
    <picture> (phone source for narrow screens) with the desktop PNG for LaTeX/PDF."""
    import base64
    import re
    import struct

    shapes = []

    def draw(axes):
        shapes.append(axes.shape)
        for ax in axes:
            ax.plot([0, 1], [0, 1], label="a rather long legend label")
            ax.set_title("a title much too long to fit the narrow width of a phone's figure column")
        style.legend(axes[0], where="right")

    fig = style.responsive(draw, 1, 3, width=style.WIDE_WIDTH, height=3.0)
    assert shapes == [(3,), (3,)]                         # the same indexing on both
    assert fig.figure.get_figwidth() == style.WIDE_WIDTH
    assert fig.phone_figure.get_figwidth() == style.PHONE_WIDTH
    boxes = [ax.get_position() for ax in fig.phone_figure.axes[:3]]
    assert boxes[0].y0 > boxes[1].y0 > boxes[2].y0 and abs(boxes[0].x0 - boxes[2].x0) < 0.05   # stacked
    assert "\n" in fig.phone_figure.axes[0].get_title()   # wrapped for the phone
    assert "\n" not in fig.figure.axes[0].get_title()
    data, meta = fig._repr_mimebundle_()
    html = data["text/html"]
    assert html.startswith('<picture class="tts-picture">') and f'media="{style.PHONE_MEDIA}"' in html
    phone_png = base64.b64decode(re.search(r'srcset="data:image/png;base64,([^"]+)"', html).group(1))
    w, _ = struct.unpack(">II", phone_png[16:24])
    assert w == round(style.PHONE_WIDTH * style.DPI)      # 358 CSS px at 2x: the phone's column, not wider
    desk = base64.b64decode(data["image/png"])
    assert meta["image/png"]["width"] == struct.unpack(">II", desk[16:24])[0] // 2
    assert fig.get_figwidth() == style.WIDE_WIDTH         # anything else is the desktop Figure's
    assert not style.is_phone()


def test_responsive_rejects_bad_input():
    with pytest.raises(ValueError, match="draw"):
        style.responsive(42)
    with pytest.raises(ValueError, match="Figure"):
        style.responsive(lambda: None)


def test_phone_ncol_fits_a_phone():
    assert style.phone_ncol(["a", "b", "c"], 3) == 3
    assert style.phone_ncol(["P(two neurons in every piece)", r"$\varepsilon = 0.1$"], 3) == 1
    assert style.phone_ncol([], 2) == 1


def test_numbered_table_is_a_myst_table():
    t = plots.table([(1, 0.5, "a|b")], ["n", "x", "s"], caption="Caption $x$.", name="tab-test")
    md = t._repr_markdown_()
    assert md.splitlines()[:2] == [":::{table} Caption $x$.", ":name: tab-test"] and md.endswith(":::")
    assert "| 1 | 0.5 | a\\|b |" in md and t._repr_html_() is None
    plain = plots.table([(1,)], ["n"])
    assert plain._repr_markdown_() is None and "<table" in plain._repr_html_()
    with pytest.raises(ValueError, match="caption"):
        plots.table([(1,)], ["n"], name="tab-x")


def _frames(html):
    """The PNG frames embedded in a jshtml player, as (width, height) in image pixels."""
    import base64
    import re
    import struct

    out = []
    for b64 in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=\\n\s]+)", html):
        png = base64.b64decode(re.sub(r"\\n|\s", "", b64))
        out.append(struct.unpack(">II", png[16:24]))
    return out


def test_responsive_animation_serves_a_phone_player():
    """style.responsive_animation: the animation made twice, once inside style.phone() (and its frames drawn
    there too), two jshtml players with their own ids, the phone one shown below PHONE_MEDIA and the desktop one
    elsewhere (the other display: none), each figure closed."""
    import re

    seen, figs = [], []

    def make():
        fig, ax = plt.subplots(figsize=(style.PHONE_WIDTH if style.is_phone() else 3.0, 2.0),
                               dpi=style.SCREEN_DPI)
        figs.append(fig)
        (line,) = ax.plot([0, 1], [0, 0])

        def frame(k):
            seen.append(style.is_phone())   # the frames, too, are drawn inside style.phone()
            line.set_ydata([k, k])

        return fig, FuncAnimation(fig, frame, frames=3)

    html = style.responsive_animation(make, dpi=50, phone_dpi=40, progress=False)
    desk, _, phone = html.partition('<div class="tts-animation tts-animation-phone"')
    assert phone and 'class="tts-animation tts-animation-desktop"' in desk
    # desktop frames 3.0 in x 50 dpi, phone frames PHONE_WIDTH x 40 dpi
    assert {w for w, _ in _frames(desk)} == {150}
    assert all(abs(w - style.PHONE_WIDTH * 40) <= 1.5 for w, _ in _frames(phone))   # (pixel rounding)
    assert len(_frames(desk)) == len(_frames(phone)) == 3
    assert f'width:{round(style.PHONE_WIDTH * style.SCREEN_DPI)}px' in phone and "width:300px" in desk
    assert True in seen and False in seen
    ids = re.findall(r'id="(_anim_img\w+)"', html)
    assert len(ids) == 2 and ids[0] != ids[1]
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert f"@media {style.PHONE_MEDIA} {{ .tts-animation-desktop {{ display: none; }} }}" in css
    assert f"@media not all and {style.PHONE_MEDIA} {{ .tts-animation-phone {{ display: none; }} }}" in css
    assert not any(plt.fignum_exists(f.number) for f in figs)
    with pytest.raises(ValueError, match="make"):
        style.responsive_animation(lambda: 3)
    with pytest.raises(ValueError, match="make"):
        style.responsive_animation("not callable")
    with pytest.raises(ValueError, match="phone_dpi"):
        style.responsive_animation(make, phone_dpi=0)
