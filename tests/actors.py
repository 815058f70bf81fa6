"""The tests' system actor: what a job or the demo seeder is to a service (passes the scope checks,
recorded by name where a row keeps one)."""

from accounts.actors import SystemActor

SYSTEM = SystemActor("tests.system")
