"""What the bot says in English and Spanish: labels, numbers in the channel's style,
story-update lines and help."""
