"""The demo is its own part: it depends on every app, and no app (nor its tests) on it."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_app_imports_the_demo():
    folders = [
        Path(config.path)
        for config in apps.get_app_configs()
        if config.path.startswith(str(ROOT)) and config.name != "demo"
    ]
    folders += [ROOT / "icp_portal"]
    folders += [
        path for path in (ROOT / "tests").iterdir() if path.is_dir() and path.name != "demo"
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for folder in folders
        for path in folder.rglob("*.py")
        if any(name == "demo" or name.startswith("demo.") for name in _imports(path))
    ]
    assert offenders == []
