"""The staff dashboard: coverage figures from snapshots, trend and breakdown charts, gap lists,
upcoming obligations (portal page /portal/dashboard/ and the admin home), and the Excel export."""
