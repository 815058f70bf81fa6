import io

import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db, project_catalogue):
    """The demo district (seed_demo): its five accounts are the five signed-in roles."""
    call_command("seed_demo", stdout=io.StringIO())
