"""Every write to the dues app: bases (bases), rolls (rolls), ledger entries and imports (payments).

Each takes keyword-only arguments and an `actor`: a user, or a named dues.actors.SystemActor for
jobs and the demo seeder. None is refused: no write goes unattributed.
"""
