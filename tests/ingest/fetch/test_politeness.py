"""Politeness (ingest/fetch/politeness.py, settings.py): Retry-After, the robots.txt agent."""
from ingest.fetch.politeness import retry_after_seconds
from ingest.fetch.settings import USER_AGENT, robots_agent


def test_retry_after():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412400) == 80.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412600) == 0.0
    assert retry_after_seconds(b"snart") is None and retry_after_seconds(None) is None


def test_user_agent_names_the_project():
    assert USER_AGENT.startswith("Diariet/") and USER_AGENT.isascii()
    assert robots_agent(USER_AGENT) == "Diariet" and robots_agent("Kommunarkivet/2 (+x)") == "Kommunarkivet"
