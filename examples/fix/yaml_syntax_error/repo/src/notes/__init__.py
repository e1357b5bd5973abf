"""Keep release notes next to the code."""
