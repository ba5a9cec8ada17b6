"""Finding number mentions and reading their values: digits with the text's own separators (scan,
style), numbers in words (spelled, words), glued units and ranges (patterns), what is not a
number (protected) and invisible characters (invisible); numbers ties them together."""
