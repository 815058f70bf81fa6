import pytest


@pytest.fixture
def seeded(demo_db, project_catalogue):
    """The demo district (seed_demo, once a session: tests/demo_db.py): its five accounts are the five
    signed-in roles."""
