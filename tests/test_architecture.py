"""The layers of docs/architecture.md, proved by walking every import in the source (including the
imports inside functions): the pure core and the readers import no Django and no app, every package
imports only packages of lower layers as the document lists them, every package is in the document,
and no module imports itself through others."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "lofte"
DOCUMENT = ROOT.parent / "docs" / "architecture.md"


def module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """Absolute names of every module `path` imports, anywhere in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}
GRAPH = {name: {m for m in imports_of(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def inside(package):
    return {
        name: GRAPH[name] | {m for m in imports_of(MODULES[name]) if not m.startswith("lofte")}
        for name in MODULES
        if name == package or name.startswith(package + ".")
    }


@pytest.mark.parametrize("package", ["lofte.analysis", "lofte.ingest"])
def test_the_pure_core_and_the_readers_import_no_django_and_no_app(package):
    allowed = ("lofte.analysis", "lofte.ingest") if package == "lofte.ingest" else ("lofte.analysis",)
    for name, imported in inside(package).items():
        bad = {
            m
            for m in imported
            if m.split(".")[0] == "django" or (m.startswith("lofte") and not m.startswith(allowed) and m != "lofte")
        }
        assert not bad, f"{name} imports {sorted(bad)}"


def documented_layers():
    """{package: layer number, 0 lowest} from the ```layers block of docs/architecture.md."""
    block = re.search(r"```layers\n(.*?)```", DOCUMENT.read_text(encoding="utf-8"), re.S)
    assert block, f"{DOCUMENT} has no ```layers block"
    return {package: n for n, line in enumerate(block.group(1).splitlines()) for package in line.split()}


def package_of(module):
    """`lofte.promises.views` -> `promises`; the top modules (`lofte`, `lofte.cli`) are their own."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


PACKAGES = {package_of(name) for name in MODULES}


def test_every_package_is_in_the_document_once_with_its_layer_and_its_row():
    layers, text = documented_layers(), DOCUMENT.read_text(encoding="utf-8")
    assert set(layers) == PACKAGES, (
        f"in the code only: {PACKAGES - set(layers)}; in the document only: {set(layers) - PACKAGES}"
    )
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"analysis", "ingest", "tools", "config"}
    missing = {app for app in apps if f"| `{app}` |" not in text}
    assert not missing, f"docs/architecture.md has no row in its table of apps for {sorted(missing)}"


def test_every_import_goes_to_a_lower_layer():
    layers = documented_layers()
    upwards = sorted(
        f"{name} -> {other}"
        for name, imported in GRAPH.items()
        for other in imported
        if package_of(other) != package_of(name) and layers[package_of(other)] >= layers[package_of(name)]
    )
    assert not upwards, "imports that do not go downwards (docs/architecture.md):\n" + "\n".join(upwards)


def test_the_layer_check_sees_an_upward_import():
    """The check above is no tautology: an import of `promises` from `incidents` is upward."""
    layers = documented_layers()
    assert layers["promises"] > layers["incidents"] > layers["places"] > layers["accounts"] > layers["core"]


def test_there_is_no_import_cycle():
    state, stack, cycles = {}, [], []

    def visit(name):
        state[name] = "open"
        stack.append(name)
        for other in sorted(GRAPH[name]):
            if state.get(other) == "open":
                cycles.append(stack[stack.index(other) :] + [other])
            elif other not in state:
                visit(other)
        stack.pop()
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_every_hook_is_answered_by_the_app_the_hooks_module_names():
    from lofte.core import hooks

    for name, app in hooks.QUESTIONS.items():
        answers = hooks._answers.get(name, [])
        assert [a.__module__ for a in answers] == [f"lofte.{app}.hooks"], name
    with pytest.raises(ValueError):
        hooks.ask("area_promise_periods", None)
    with pytest.raises(ValueError):
        hooks.register("no_such_question")


HEAVY = ("scipy.stats", "scipy.spatial", "matplotlib", "statsmodels", "pandas")


@pytest.mark.slow  # a child process: a clean interpreter is the only honest measure of what gets imported
def test_starting_django_and_its_urls_imports_no_heavy_library():
    """Every `lofte` command runs the system checks, which load the URLs: scipy.stats and matplotlib
    imported there cost each command 1.2 s before it did anything (3.7 s for `lofte check`); pandas
    another 0.5 s."""
    import subprocess
    import sys

    program = (
        "import os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tests.settings'); import django; "
        "django.setup(); import lofte.config.urls; "
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    found = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=root, check=True)
    assert found.stdout.strip() == "", f"imported when Django starts: {found.stdout.strip()}"
