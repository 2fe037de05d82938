"""The `minerals` command."""
