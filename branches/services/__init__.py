"""Every write to the branches app: party organizations (tree), coverage links, posts, instructors.

Views, admin, API, tasks and the demo seeder call these functions and nothing
else saves a branches row. Each takes keyword-only arguments and an `actor`
(the user on whose behalf the write happens; None is the system).
"""
