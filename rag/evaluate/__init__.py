"""Evaluate: gold sets, SQuAD import, metrics, the batch runner and its reports."""
