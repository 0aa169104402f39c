"""The library's layers: imports only go down (core < theory < experiments < plots; course beside them).

Every ``import`` statement of every module of ``tts_lib`` (at any depth, including imports inside functions)
is resolved to the layer it reaches; a module may import its own layer or a lower one only. ``__main__`` (the
command line) is the program on top of every layer and may import all of them.
"""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "tts_lib"
RANK = {"core": 0, "theory": 1, "experiments": 2, "plots": 3, "course": 4}


def layer_of(module: str) -> str:
    parts = module.split(".")
    assert parts[0] == "tts_lib", module
    return parts[1] if len(parts) > 1 and parts[1] in RANK else "core"


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(path: Path):
    """Absolute names of the tts_lib modules (or packages) that ``path`` imports."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "tts_lib":
                continue
            if node.module is None or mod in ("tts_lib",):
                # `from . import x` / `from .. import x`: each name may be a submodule
                for alias in node.names:
                    yield f"{mod}.{alias.name}"
            else:
                yield mod
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "tts_lib":
                    yield alias.name


MODULES = sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_layer_exists():
    assert {layer_of(module_name(p)) for p in MODULES} == set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_only_go_down(path):
    name = module_name(path)
    if name == "tts_lib.__main__":
        return
    mine = RANK[layer_of(name)]
    bad = [m for m in imported_modules(path) if RANK[layer_of(m)] > mine]
    assert not bad, f"{name} (layer {layer_of(name)}) imports a higher layer: {bad}"


def test_the_checker_sees_upward_imports():
    """The check itself can fail: a core module importing the plots layer is flagged."""
    src = "from .plots import style\n"
    assert [layer_of(m) for m in _imports_of_source(src, "tts_lib._fake_for_test", "tts_lib")] == ["plots"]


def _imports_of_source(src, name, package):
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            yield ".".join(base + ([node.module] if node.module else []))


def test_no_import_cycle_between_validate_and_target():
    src = (PKG / "_validate.py").read_text()
    assert "target" not in {m.rsplit(".", 1)[-1] for m in imported_modules(PKG / "_validate.py")}
    assert "PiecewiseConstant" not in src


def _import_graph():
    """``module -> set of tts_lib modules it imports`` (packages resolved to their ``__init__``)."""
    names = {module_name(p) for p in MODULES}
    graph = {}
    for path in MODULES:
        deps = set()
        for m in imported_modules(path):
            while m not in names and "." in m:       # `from .x import name`: name is not a module
                m = m.rsplit(".", 1)[0]
            if m in names and m != module_name(path):
                deps.add(m)
        graph[module_name(path)] = deps
    return graph


def _cycles(graph, within):
    """Import cycles among the modules whose name starts with ``within`` (depth-first search)."""
    found, state = [], {}

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if not nxt.startswith(within) or nxt == within:
                continue
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node.startswith(within) and node != within and node not in state:
            visit(node, [node])
    return found


def test_no_import_cycle_in_the_experiments_layer():
    """The shared helpers of the studies (intervals, coverage, starts, grids, data files, the tangent floor) sit
    below phase, regimes and scaling: no module of the layer imports one that imports it back."""
    assert _cycles(_import_graph(), "tts_lib.experiments") == []


def test_the_cycle_finder_sees_a_cycle():
    assert _cycles({"p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": set()}, "p") == [["p.a", "p.b", "p.a"]]
