"""A paginator told its count: for a list page that counted its rows already, another way
(the work queue's counts by status, the agreement list's totals), so the page asks the
database no second count over every row."""

from __future__ import annotations

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` is given, not queried."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @property
    def count(self) -> int:
        return self._count
