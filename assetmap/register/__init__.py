"""Keeping the register true: who may write, what changed, and suggestions from the public."""
