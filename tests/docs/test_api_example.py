"""docs/api.md's worked example, run as a user would: the client script in a process of its own,
over HTTP against the test server, twice (the second run must change nothing: external ids)."""

import subprocess
import sys
from pathlib import Path

import pytest
from knox.models import AuthToken

from branches.models import CoverageLink
from orgs.models import Organization

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "load_district.py"
EXPECTED = """\
date        total  single  joint  fallback  org_coverage  work_covered  work_coverage
2020-06-30      6       0      2         1"""


def run_example(live_server, token: str) -> str:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", live_server.url, "--token", token],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_api_example_loads_district_and_prints_figures(live_server, superuser):
    _instance, token = AuthToken.objects.create(user=superuser)  # knox: hashed, expiring
    # when the example loads the CSV files through the API
    output = run_example(live_server, token)
    print(output)  # pytest -s shows it
    # then it prints the figures counted by hand in docs/api.md
    lines = output.strip().splitlines()
    assert lines[0].split() == EXPECTED.splitlines()[0].split()
    figures = {
        line.split()[0]: [int(v) for v in line.split()[1:5]] + [int(line.split()[6])] for line in lines[1:]
    }
    assert figures == {
        "2020-06-30": [6, 0, 2, 1, 2],
        "2022-06-30": [6, 1, 3, 0, 2],
        "2024-06-30": [5, 1, 1, 1, 1],
    }
    # and a second run (a re-sync) updates instead of duplicating
    counts = (Organization.objects.count(), CoverageLink.objects.count())
    assert run_example(live_server, token) == output
    assert (Organization.objects.count(), CoverageLink.objects.count()) == counts
