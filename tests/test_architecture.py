"""The layers of docs/architecture.md, proved by walking every import in the source (including the
imports inside functions): the pure core and the readers import no Django and no app, accounts and
core import no domain app, and no module imports itself through others."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "lofte"
DOMAIN_APPS = {"places", "incidents", "promises", "activities", "cases", "surveys", "demo", "api"}


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


@pytest.mark.parametrize("package", ["lofte.accounts", "lofte.core", "lofte.tools"])
def test_accounts_core_and_tools_import_no_domain_app(package):
    for name, imported in inside(package).items():
        bad = {m for m in imported if m.startswith("lofte.") and m.split(".")[1] in DOMAIN_APPS}
        assert not bad, f"{name} imports {sorted(bad)}"


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
