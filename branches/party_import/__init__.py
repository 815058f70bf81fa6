"""Excel import of the party side: party organizations with their place in the tree and dates,
coverage links with dates, instructors with their assignments (issue 12). One workbook, one sheet
per kind, Chinese headers; every row goes through the same services as the admin; all or nothing;
re-importing updates the rows it wrote before, by their external id."""
