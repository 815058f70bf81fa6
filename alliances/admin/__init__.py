"""Admin of the alliances app: scoped through `visible_to`, every write through alliances.services.

Staff see alliances (and their memberships, programs, pairings) whose lead organization lies in
their region subtree, grid pairings of their organizations or grids, venture rounds of their
district and applications of their own organizations. Rounds are created and run (status,
criteria, reviewers, awards, milestones, evaluations) by district staff and superusers only;
street staff see them read-only.
"""

from alliances.admin import alliances, applications, pairings, rounds  # noqa: F401  (registers the admins)
