"""The layers of the chain: DOM pruning, extraction, whole-paragraph filters, inline filters."""
