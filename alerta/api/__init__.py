"""The REST API v1 (`/api/v1/`)."""
