"""Development tools shared by tests/ and bench/: servers, fault runs, scoring. Not shipped."""
