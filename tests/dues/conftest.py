from tests.members.conftest import pos, secretary_a, secretary_b  # noqa: F401  (shared fixtures)
