"""The layers, one way: the domain imports no adapter, and no module imports one that imports it back.

Every `import` statement of the project's packages is read (including those inside functions, which
would otherwise hide a cycle or a layer crossed), and importing `a.b.c` counts as importing the
packages `a.b` and `a` too, since Python runs their `__init__` first.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tracker", "web", "jobs", "cli", "benchmarks")
# Who may import whom: each package may import itself and those listed.
ALLOWED = {
    "tracker": set(),
    "web": {"tracker"},
    "jobs": {"tracker"},
    "cli": {"tracker", "web", "jobs", "benchmarks"},
    "benchmarks": {"tracker", "web", "jobs"},
}
# Third-party packages that belong to the adapters, never to the domain.
ADAPTER_LIBRARIES = {"flask", "flask_login", "flask_wtf", "flask_limiter", "werkzeug", "apscheduler", "click"}
ADAPTER_LIBRARIES |= {"waitress", "gunicorn"}


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (REPO_ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported_names(module: str, path: Path) -> Iterator[str]:
    """Every dotted name `module` imports (absolute, relative imports resolved)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _graph() -> dict[str, set[str]]:
    """module -> the project's modules it imports (with the packages each import runs)."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        own_packages = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
        for name in _imported_names(module, path):
            target = resolve(name)
            if target is None or target == module:
                continue
            graph[module].add(target)
            parts = target.split(".")
            for i in range(1, len(parts)):
                parent = ".".join(parts[:i])
                if parent in modules and parent not in own_packages and parent != module:
                    graph[module].add(parent)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above could not fail if the finder missed cycles: give it one."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_each_layer_imports_only_the_layers_below_it() -> None:
    crossing = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if (a := module.split(".")[0]) != (b := target.split(".")[0]) and b not in ALLOWED[a]
    ]
    assert crossing == []


def test_the_domain_imports_no_web_framework_scheduler_or_command_line() -> None:
    found = [
        f"{module} imports {name}"
        for module, path in _modules().items()
        if module.split(".")[0] == "tracker"
        for name in _imported_names(module, path)
        if name.split(".")[0] in ADAPTER_LIBRARIES
    ]
    assert found == []


def test_no_language_grammar_imports_another() -> None:
    """A language is one folder (`tracker/extraction/en/`, `ja/`): what two languages share lives in
    the pipeline's own modules, so a third language is a new folder and no edit in another."""
    extraction = REPO_ROOT / "tracker" / "extraction"
    languages = {p.name for p in extraction.iterdir() if (p / "__init__.py").exists()}
    assert {"en", "ja"} <= languages
    crossing = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if module.startswith("tracker.extraction.") and module.split(".")[2] in languages
        for target in targets
        if target.startswith("tracker.extraction.")
        and target.split(".")[2] in languages
        and target.split(".")[2] != module.split(".")[2]
    ]
    assert crossing == []
