"""Imports run one way (DESIGN.md): core ← accounts ← orgs ← people ← feature apps ← top apps.

A feature app may import another's models, selectors, services and enums, never its views or forms.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RANK = {"core": 0, "accounts": 1, "orgs": 2, "people": 3, "dashboards": 5, "portal": 5, "demo": 6, "testing": 6}
FEATURE_RANK = 4
PUBLIC_MODULES = {"models", "selectors", "services", "enums", "signals", "rules", None}


def rank(app: str) -> int:
    return RANK.get(app, FEATURE_RANK)


def imports_of(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            yield node.lineno, names
        elif isinstance(node, ast.Import):
            yield node.lineno, [a.name for a in node.names]


def violations():
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        parts = relative.parts
        if "tests" in parts or "migrations" in parts:
            continue
        app = parts[0]
        for lineno, names in imports_of(path):
            for name in names:
                pieces = name.split(".")
                if pieces[0] != "dangqun" or len(pieces) < 2 or pieces[1] == app:
                    continue
                target = pieces[1]
                if rank(target) > rank(app):
                    found.append(f"{relative}:{lineno} imports {name} (a higher layer)")
                elif rank(target) == rank(app) == FEATURE_RANK:
                    module = pieces[2] if len(pieces) > 2 else None
                    if module not in PUBLIC_MODULES:
                        found.append(f"{relative}:{lineno} imports {name} (another feature app's {module})")
    return found


def test_imports_run_one_way():
    assert violations() == []
