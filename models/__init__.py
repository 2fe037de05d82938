"""Data shared by every layer: settings, message models, enums and the SQLAlchemy tables."""
