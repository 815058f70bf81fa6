"""The test tree's layout: no test module imports from another test module (issue 16).

Shared helpers live in helper modules (tests/*/factories.py, tests/queries.py, tests/orgs/registry_files.py,
...) and shared fixtures in the nearest conftest.py; importing from a `test_*` module would collect its
tests' names into the importer, tie the two files together and hide where a fixture comes from.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def _is_test_module(dotted: str) -> bool:
    return dotted.rsplit(".", 1)[-1].startswith("test_")


def imported_test_modules(source: str, module: str) -> list[str]:
    """The test modules that `source` (the text of module `module`) imports from, as dotted names."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            if _is_test_module(base):
                found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names if _is_test_module(alias.name)]
    return found


def test_layout_checker_catches_every_form_of_import_from_a_test_module():
    source = "\n".join(
        [
            "from tests.orgs.test_registry_import import registered_row",
            "import tests.config.test_csp",
            "from tests.events import test_classes",
            "from .test_jobs import _give_secretary",
            "def f():",
            "    from tests.test_forms_keep_dates import X",
            "from tests.orgs.registry_files import registered_row",
            "from tests.reminders.conftest import set_term",
            "from .factories import MemberFactory",
        ]
    )
    assert imported_test_modules(source, "tests.reminders.test_concurrency") == [
        "tests.orgs.test_registry_import",
        "tests.config.test_csp",
        "tests.events.test_classes",
        "tests.reminders.test_jobs",
        "tests.test_forms_keep_dates",
    ]


def test_no_test_module_imports_from_another_test_module():
    offenders = {
        str(path.relative_to(TESTS.parent)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if (imported := imported_test_modules(path.read_text(encoding="utf-8"), _module_of(path)))
    }
    assert offenders == {}, "move shared helpers to a helper module and shared fixtures to conftest.py"
