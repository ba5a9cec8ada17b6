"""Stories: grouping articles about the same event, across outlets and languages.

``group_stories`` (``cluster``) is the entry point; ``textsim`` builds the TF-IDF article
vectors and ``crosslang`` the language-neutral evidence (entities, numbers) for en/es pairs.
"""

from summarizers.stories.cluster import group_stories

__all__ = ["group_stories"]
