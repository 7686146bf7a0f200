"""Items with their CPV codes in one query: what every list and answer that shows codes reads.

Apart from certification.domain.cpv so that the verification modules can use it without
importing the search (which imports them).
"""

from django.db import connection
from django.db.models import OuterRef, QuerySet, StringAgg, Subquery, Value
from django.db.models.functions import Concat

from ..models import ApplicationItem, ItemCpvCode


def items_with_codes() -> QuerySet[ApplicationItem]:
    """Items, each with `cpv_list`: its CPV codes as in a tender notice, space-separated.

    Read in the items' own query (a subquery per item), so that listing codes costs no query
    of its own at any page size (registry.item_codes splits it).
    """
    return ApplicationItem.objects.annotate(cpv_list=codes_listed(OuterRef("pk")))


def codes_listed(item: OuterRef) -> Subquery:
    """The codes of the item `item` refers to, space-separated, as a subquery."""
    # In code order where the database can order an aggregate (PostgreSQL; SQLite from 3.44).
    ordered = (
        {"order_by": "cpv_id"} if connection.features.supports_aggregate_order_by_clause else {}
    )
    listed = (
        ItemCpvCode.objects.filter(item=item)
        .order_by()
        .values("item")
        .annotate(
            listed=StringAgg(
                Concat("cpv_id", Value("-"), "cpv__check_digit"), Value(" "), **ordered
            )
        )
        .values("listed")
    )
    return Subquery(listed)
