"""Every write to the members app.

members: create/update a person (ID number checked, encrypted and hashed);
stages: the recruitment pipeline (each step checks DOMAIN.md's rules and leaves a
StageChange); status: suspension, leaving, death; transfers: moving the relation;
reveal: the audited reveal of a full ID number or phone. Views, admin, API,
imports and the demo seeder call these and nothing else writes a member row.
Each takes keyword-only arguments and an `actor` (None: the system).
"""
