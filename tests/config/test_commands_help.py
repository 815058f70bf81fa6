"""Every project command prints its --help (argparse cannot format lazy translation objects)."""

import pytest
from django.core.management import get_commands, load_command_class

PROJECT_APPS = {"accounts", "orgs", "branches", "members", "alliances", "events", "news", "reminders", "stats"}
COMMANDS = sorted((name, app) for name, app in get_commands().items() if app in PROJECT_APPS)


def test_project_commands_found():
    assert {"seed_demo", "check_trees", "coverage_stats", "coverage_snapshot"} <= {n for n, _ in COMMANDS}


@pytest.mark.parametrize(("name", "app"), COMMANDS)
def test_command_help_formats(name, app):
    command = load_command_class(app, name)
    text = command.create_parser("manage.py", name).format_help()
    assert name in text
