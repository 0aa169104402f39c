"""Published like an open book (issue 20): licences, citation, version, changelog, CI workflow.

The workflow cannot run here: it is validated against the JSON schema of GitHub workflows (vendored in
``check-jsonschema``, offline), and its steps are checked to call the README's own commands. CITATION.cff
is validated against the Citation File Format schema the same way. Each schema check is shown to fail on
a broken copy, so it cannot pass vacuously.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import version as dist_version
from pathlib import Path

import pytest
import yaml

import tts_lib

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
YEARS = "2025–2026"
HOLDER = "The tts-book contributors"


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True, text=True, timeout=120,
    )


def pyproject_version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


# ------------------------------------------------------------------------------------------ licences
def test_mit_licence_for_the_code():
    text = (REPO / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert f"Copyright (c) {YEARS.replace('–', '-')} {HOLDER}" in text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in text
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["license"] == "MIT"


def test_cc_by_licence_for_text_and_figures():
    text = (REPO / "LICENSE-CONTENT").read_text()
    assert "https://creativecommons.org/licenses/by/4.0/" in text
    assert "SPDX-License-Identifier: CC-BY-4.0" in text
    assert f"{YEARS.replace('–', '-')} {HOLDER}" in text
    # the full legal code, not only a notice
    for part in ("Section 1 – Definitions.", "Section 3 – License Conditions.", "Section 8 – Interpretation."):
        assert part in text


def test_licences_named_in_readme_and_footer():
    readme = (REPO / "README.md").read_text()
    for needle in ("MIT licence", "CC BY 4.0", "`LICENSE`", "`LICENSE-CONTENT`", YEARS, HOLDER):
        assert needle in readme, needle
    cfg = yaml.safe_load((REPO / "_config.yml").read_text())
    footer = cfg["html"]["extra_footer"]
    for needle in ("MIT licence", "CC BY 4.0", "creativecommons.org/licenses/by/4.0", "{version}"):
        assert needle in footer, needle
    # the theme prints "By <author>" and "© Copyright <copyright>." above the extra footer
    assert cfg["author"] == HOLDER and cfg["copyright"].split()[0] == YEARS


# ------------------------------------------------------------------------------------------ version
def test_version_has_a_single_source():
    v = pyproject_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", v)
    assert tts_lib.__version__ == v == dist_version("tts_lib")
    # no second literal copy of the version in the library's code
    hits = [p for p in (REPO / "tts_lib").rglob("*.py") if re.search(rf"['\"]{re.escape(v)}['\"]", p.read_text())]
    assert not hits, hits


def test_version_everywhere_agrees():
    v = pyproject_version()
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert str(cff["version"]) == v
    changelog = (REPO / "CHANGELOG.md").read_text()
    m = re.search(rf"^## \[{re.escape(v)}\] - (\d{{4}}-\d{{2}}-\d{{2}})$", changelog, re.M)
    assert m, f"CHANGELOG.md has no section for {v}"
    assert str(cff["date-released"]) == m.group(1)
    assert "## [Unreleased]" in changelog
    intro = (REPO / "intro.md").read_text()
    assert re.search(rf"edition\s*=\s*\{{{re.escape(v)}\}}", intro), "the book's BibTeX carries another version"


# ------------------------------------------------------------------------------------------ citation
def test_citation_cff_is_valid(tmp_path):
    res = check_jsonschema("vendor.citation-file-format", REPO / "CITATION.cff")
    assert res.returncode == 0, res.stdout + res.stderr
    broken = yaml.safe_load((REPO / "CITATION.cff").read_text())
    del broken["authors"]
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(broken, allow_unicode=True))
    assert check_jsonschema("vendor.citation-file-format", tmp_path / "CITATION.cff").returncode != 0


def test_citation_cff_content():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert cff["authors"] == [{"name": HOLDER}]
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    (paper,) = [r for r in cff["references"] if "two-timescale" in r["title"]]
    assert [a["family-names"] for a in paper["authors"]] == ["Marion", "Berthier"]
    assert paper["year"] == 2023 and paper["volume"] == 36
    assert any(i["value"] == "arXiv:2304.09576" for i in paper["identifiers"])
    assert "tts-book/two-timescale-book" not in (REPO / "CITATION.cff").read_text()


def _bibtex_entries(text: str) -> dict[str, str]:
    return {m.group(2): m.group(0) for m in re.finditer(r"@(\w+)\{(\w+),.*?\n\}", text, re.S)}


def test_how_to_cite_on_the_landing_page():
    intro = (REPO / "intro.md").read_text()
    assert "## How to cite" in intro
    block = re.search(r"## How to cite.*?```bibtex\n(.*?)```", intro, re.S)
    assert block, "no BibTeX block under 'How to cite'"
    entries = _bibtex_entries(block.group(1))
    assert set(entries) == {"marion2023", "ttsbook"}
    assert entries["ttsbook"].startswith("@book")
    assert HOLDER in entries["ttsbook"]
    # the paper's entry is the bibliography's own (same fields, bar the url)
    bib = _bibtex_entries((REPO / "references.bib").read_text())["marion2023"]
    fields = lambda e: {k: v.strip() for k, v in re.findall(r"^\s*(\w+)\s*=\s*(.*?),?$", e, re.M)}  # noqa: E731
    ref = fields(bib)
    ref.pop("url", None)
    assert fields(entries["marion2023"]) == ref


# ------------------------------------------------------------------------------------------ workflow
def _readme_test_command() -> str:
    readme = (REPO / "README.md").read_text()
    m = re.search(r"^`(bash tools/run_tests\.sh)`", readme, re.M)
    assert m, "the README does not start with its test command"
    return m.group(1)


def test_workflow_is_valid(tmp_path):
    res = check_jsonschema("vendor.github-workflows", WORKFLOW)
    assert res.returncode == 0, res.stdout + res.stderr
    broken = yaml.safe_load(WORKFLOW.read_text())
    broken["jobs"]["test"]["runs-on"] = {"not": "a runner"}
    del broken["jobs"]["deploy"]["steps"]
    (tmp_path / "ci.yml").write_text(yaml.safe_dump(broken))
    assert check_jsonschema("vendor.github-workflows", tmp_path / "ci.yml").returncode != 0


def test_workflow_runs_the_readme_commands_and_deploys_on_main():
    wf = yaml.safe_load(WORKFLOW.read_text())
    on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as True
    assert on["push"]["branches"] == ["main"] and "pull_request" in on
    test, deploy = wf["jobs"]["test"], wf["jobs"]["deploy"]
    runs = [s.get("run", "") for s in test["steps"]]
    assert any(r.strip() == _readme_test_command() for r in runs), "the README's test command is not run"
    (build,) = [s for s in test["steps"] if "build_book.sh" in s.get("run", "")]
    assert "main" in build["if"] and "bash tools/build_student.sh" in build["run"]
    assert "cp -r _build/student/html _site/student" in build["run"]
    assert build["env"]["TTS_REPOSITORY_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    upload = [s for s in test["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "_site" and "main" in upload[0]["if"]
    assert deploy["needs"] == "test" and "main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    # every script the workflow calls exists
    for script in re.findall(r"tools/\w+\.sh", WORKFLOW.read_text()):
        assert (REPO / script).is_file(), script


# ------------------------------------------------------------------------------------------ readme
def test_readme_has_release_checklist_and_three_commands():
    readme = (REPO / "README.md").read_text()
    first = [line for line in readme.splitlines()[:8] if line.startswith("`bash tools/")]
    assert [line.split("`")[1] for line in first] == [
        "bash tools/build_book.sh", "bash tools/run_tests.sh", "bash tools/lab.sh"]
    checklist = readme.split("### Release checklist", 1)[1]
    for step in ("pyproject.toml", "CHANGELOG.md", "git tag", "tools/run_tests.sh", "deploy", "bundle"):
        assert step in checklist, step


@pytest.mark.parametrize("path", ["README.md", "_config.yml", "pyproject.toml", "intro.md", "binder/postBuild"])
def test_no_placeholder_repository_address(path):
    assert "tts-book/two-timescale-book" not in (REPO / path).read_text()
