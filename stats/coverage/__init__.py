"""Coverage statistics: the engine (engine.py), its SQL (sql.py), the figures' shape (breakdowns.py),
dated snapshots (snapshots.py, selectors.py) and input parsing for the command and API (inputs.py)."""
