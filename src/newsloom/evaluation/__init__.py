"""Evaluation harnesses that anyone can run on shared or their own data."""
