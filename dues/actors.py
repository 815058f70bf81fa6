"""Named system actors: jobs, commands and the demo seeder act as one of these, never as None.

A service refuses None ("who did this?" must always have an answer); a SystemActor passes the
scope checks (it works for the whole platform) and is recorded by name on the rows it writes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    name: str
    is_superuser: bool = False
    is_authenticated: bool = False

    def __str__(self):
        return self.name


ROLL_JOB = SystemActor("dues.roll_job")
DEMO_SEEDER = SystemActor("dues.demo")
