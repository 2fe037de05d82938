"""Email and web page templates (Jinja2), shipped as package data."""
