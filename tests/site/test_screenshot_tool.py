"""tools/screenshot.py --dark shows the theme's dark mode (issue 27): the tile of the landing page is dark
(mean luminance below one half), the same tile without --dark is light."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image, ImageStat

from sitecfg import REPO, SITE_DIR


def _luminance(path) -> float:
    return ImageStat.Stat(Image.open(path).convert("L")).mean[0] / 255


def test_screenshot_dark(site_dir, tmp_path):
    for flag in ([], ["--dark"]):
        subprocess.run([sys.executable, str(REPO / "tools" / "screenshot.py"), "intro.html", "--tiles", "1",
                        "--site", str(SITE_DIR), "--out", str(tmp_path), *flag], check=True, timeout=300)
    light, dark = tmp_path / "intro__00.png", tmp_path / "intro__00__dark.png"
    assert _luminance(light) > 0.5, f"light tile mean luminance {_luminance(light):.2f}"
    assert _luminance(dark) < 0.5, f"--dark tile mean luminance {_luminance(dark):.2f}"
