"""Cursor pages: a stable order ending in the primary key, and no count.

A count would tell how many rows a filter matches, and costs a scan of the
whole scope on every page; a cursor costs one indexed range per page,
whatever the page's depth (docs/decisions/0022-api-v1.md).
"""

from django.db.models import F, QuerySet
from rest_framework.pagination import CursorPagination

# The order of a list narrowed to a sección, an IE or a UGEL: the primary key
# as an expression, which no index serves. Ordered by the bare key, PostgreSQL
# walks its index over the whole country and keeps the rows that match, a
# gamble on where they lie: the largest UGEL's first page of alto students took
# 1.4 s (bench/api.py). Ordered by the expression, it reads the narrowed rows
# through their own indexes and sorts them: at most a UGEL's students.
ORDEN_ACOTADA = "orden"


def acotada(qs: QuerySet) -> QuerySet:
    """Mark a list as narrowed to a bounded scope: ordered by ORDEN_ACOTADA."""
    return qs.annotate(**{ORDEN_ACOTADA: F("pk") + 0})


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "tamano"
    max_page_size = 500
    # The primary key: unique, so the cursor needs no offset, and the index
    # every table has serves it.
    ordering = ("pk",)
    cursor_query_param = "cursor"

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        # The same rows in the same order either way: only the plan differs.
        if ORDEN_ACOTADA in queryset.query.annotations:
            return (ORDEN_ACOTADA,)
        return self.ordering
