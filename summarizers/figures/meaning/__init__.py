"""What a number means: what it counts and its qualifier (context, context_before, english_words;
context_es for Spanish), its period (periods), how a sentence's numbers relate (links), and
numbers that are not amounts (not_amounts)."""
