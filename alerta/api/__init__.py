"""The REST API v1 (`/api/v1/`): the portal's reads, over the same scoping
module (alerta.scoping), selectors and counts as the pages."""
