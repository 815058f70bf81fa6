"""The dues jobs' named system actors (the actor type itself lives in accounts.actors)."""

from accounts.actors import SystemActor

__all__ = ["DEMO_SEEDER", "ROLL_JOB", "SystemActor"]

ROLL_JOB = SystemActor("dues.roll_job")
DEMO_SEEDER = SystemActor("dues.demo")
