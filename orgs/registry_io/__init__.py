"""Excel import and export of the organization registry (the staff's spreadsheet, issue 3).

columns (the one column spec) → template / export (writing) and parse → cells →
validate → commit (reading); progress carries live counts; the workflow lives in
orgs.services.registry_import and runs in orgs.tasks.
"""
