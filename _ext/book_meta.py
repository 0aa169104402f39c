"""Book metadata: the version in the footer, and the repository address as one setting.

* Version. ``{version}`` in ``html.extra_footer`` (``_config.yml``) is replaced by ``tts_lib.__version__``
  (single source: ``version`` in pyproject.toml, read from the installed package's metadata); Sphinx's
  ``version``/``release`` are set to it too.
* Repository. The address is ``repository.url`` in ``_config.yml``, or the environment variable
  ``TTS_REPOSITORY_URL`` when set (the GitHub workflow sets it to the repository it runs in).
  - unset (empty): no repository, issues or edit button and no Binder button: the site links to no
    address that may not exist;
  - set: those buttons are turned on, and Binder opens the chapter as a notebook in JupyterLab
    (``binder/`` installs the project's stack and makes Jupytext the default viewer for ``.md``).
  ``html.use_*_button`` must therefore stay out of ``_config.yml`` (jupyter-book refuses them without a
  URL); this extension sets them.

MyST substitutions ``{{ version }}``, ``{{ solutions_note }}`` (the landing page's sentence about
solutions, which differs in the student edition) and ``{{ teachers_link }}`` (empty in the student edition,
which has no guide for teachers) are defined here too.

Other extensions read the result from ``app.config.tts_repository_url`` and ``app.config.tts_version``
(``tts_binder_url(app, path)`` builds a Binder link, or returns ``""`` when no repository is set).
"""

from __future__ import annotations

import os
from urllib.parse import quote

BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button")


def book_version() -> str:
    import tts_lib

    return tts_lib.__version__


def repository_url(theme_options: dict, environ=os.environ) -> str:
    """The repository address: ``$TTS_REPOSITORY_URL`` if set, else ``repository.url`` of _config.yml."""
    url = (environ.get("TTS_REPOSITORY_URL") or theme_options.get("repository_url") or "").strip()
    return url.rstrip("/")


def apply_repository(theme_options: dict, url: str) -> dict:
    """Turn the repository-dependent buttons on (``url`` set) or off (``url`` empty), in place."""
    launch = dict(theme_options.get("launch_buttons") or {})
    if url:
        theme_options["repository_url"] = url
        for key in BUTTONS:
            theme_options[key] = True
    else:
        theme_options.pop("repository_url", None)
        for key in BUTTONS:
            theme_options[key] = False
        for key in ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "jupyterlite_url"):
            launch[key] = ""
    theme_options["launch_buttons"] = launch
    return theme_options


def binder_url(theme_options: dict, path: str) -> str:
    """Binder link opening ``path`` (relative to the repository root) in JupyterLab, or ``""``."""
    url = theme_options.get("repository_url", "")
    binderhub = ((theme_options.get("launch_buttons") or {}).get("binderhub_url") or "").rstrip("/")
    if not url or not binderhub:
        return ""
    branch = theme_options.get("repository_branch") or "main"
    if url.startswith("https://github.com/"):
        spec = "gh/" + url[len("https://github.com/"):]
    else:
        spec = "git/" + quote(url, safe="")
    return f"{binderhub}/v2/{spec}/{branch}?urlpath=lab/tree/{path}"


def tts_binder_url(app, path: str) -> str:
    return binder_url(app.config.html_theme_options, path)


def _config_inited(app, config):
    version = book_version()
    config.version = config.release = version
    config.tts_version = version
    opts = config.html_theme_options
    footer = opts.get("extra_footer") or ""
    opts["extra_footer"] = footer.replace("{version}", version)
    # MyST substitutions for the pages: {{ version }}, {{ solutions_note }} (student edition wording)
    subs = dict(config.myst_substitutions or {})
    subs["version"] = version
    subs["solutions_note"] = (
        "this is the *student edition*: the solutions are not included, neither in the pages nor in the "
        "downloads."
        if config.hide_solutions
        else "their solutions are folded (click to open)."
    )
    # the guide for teachers is not part of the student edition (tools/build_student.sh drops it from the TOC)
    subs["teachers_link"] = "" if config.hide_solutions else "a [guide for teachers](reference/teachers.md), "
    config.myst_substitutions = subs
    url = repository_url(opts)
    apply_repository(opts, url)
    config.tts_repository_url = url


def setup(app):
    app.add_config_value("tts_version", "", "html")
    app.add_config_value("tts_repository_url", "", "html")
    # before sphinx-book-theme reads the theme options (its config-inited and builder-inited handlers)
    app.connect("config-inited", _config_inited, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
