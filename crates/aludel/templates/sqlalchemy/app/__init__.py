"""The application package. Its database models live in app/models.py."""
