"""Cell maps of every supported template family and layout generation, as data."""
