"""Local fakes of chat platform APIs (Discord, Slack) that tests run on 127.0.0.1."""
