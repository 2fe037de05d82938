"""What every interface shows and does to a case, once: used by the console, the CLI and the API alike."""
