"""Every write of the alliances app: alliances and memberships, programs and progress, pairings and
grid pairings, venture rounds, applications, reviews, awards, milestones and evaluations.

Views, admin, API and the demo seeder call these functions; nothing else saves a row of this
app. Each takes keyword-only arguments and an `actor` (the user on whose behalf the write
happens; None is the system). See alliances.services.actors for who may do what.
"""
