"""Briefings: scenario reading, request logic, and computing a briefing once for every writer."""
