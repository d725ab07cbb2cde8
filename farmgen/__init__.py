"""Generated government sites with ground truth, for measuring extraction (issue 9)."""
