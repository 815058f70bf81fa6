"""Which URL patterns the test session requested: the input of gate (a)'s "every route is tested".

tests/conftest.py imports these hooks. Every request of Django's test client (and DRF's APIClient,
a subclass) is recorded with the test that made it; at the end of a whole-suite run the gate test
(tests/security/test_url_gate.py, moved last) resolves them to URL pattern names. Requests made
by the gate module itself do not count: its sweeps request every route by construction.
"""

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent
GATE_MODULE = "tests/security/test_url_gate.py"
GATE_LAST = "test_every_route_is_requested_by_some_test"


class Record:
    paths: set[str] = set()
    current_test = ""
    deselected = 0
    collected_files: set[str] = set()


def pytest_configure(config):
    from django.test.client import Client

    original = Client.request

    def request(self, **request):
        if not Record.current_test.startswith(GATE_MODULE):
            Record.paths.add(request.get("PATH_INFO", ""))
        return original(self, **request)

    Client.request = request  # type: ignore[method-assign]  # records every path requested


def pytest_runtest_setup(item):
    Record.current_test = item.nodeid


def pytest_deselected(items):
    Record.deselected += len(items)


def pytest_collection_modifyitems(session, config, items):
    """The "every route requested" gate runs after every other test."""
    last = [i for i in items if i.name == GATE_LAST]
    items[:] = [i for i in items if i.name != GATE_LAST] + last
    Record.collected_files = {str(Path(str(i.fspath)).resolve()) for i in items}


def whole_suite_reason() -> str | None:
    """None when this session ran every test file with nothing deselected; else why not."""
    on_disk = {str(p.resolve()) for p in TESTS_DIR.rglob("test_*.py")}
    missing = on_disk - Record.collected_files
    if missing:
        return f"{len(missing)} of {len(on_disk)} test files not collected (a subset ran)"
    if Record.deselected:
        return f"{Record.deselected} tests deselected (-k/-m)"
    return None
