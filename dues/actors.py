"""The dues jobs' named system actors (the actor type and its registry live in accounts.actors)."""

from accounts.actors import DUES_DEMO_SEEDER as DEMO_SEEDER
from accounts.actors import DUES_ROLL_JOB as ROLL_JOB
from accounts.actors import SystemActor

__all__ = ["DEMO_SEEDER", "ROLL_JOB", "SystemActor"]
