"""Pure, synchronous text work: cleaning, sentence splitting, ranking and key figures."""
